"""The blocks inside each diary column, written as HTML in Python rather than in the template.

A week of ten diaries holds up to about 840 appointments or 1,700 free 15-minute times. Through
the template language each block cost a dozen node renders (a translation block, date and time
filters, ``{% url %}`` and ``urlencode``), which made the week 7 to 20 times as slow as the
admin index page. Here whatever a page or a column shares (the URLs, the free time's wording,
the practitioner, the day, the hour lines) is worked out once, and each block is one format
string. Everything typed by a person (names, phone numbers, notes, reasons, service names) is
escaped; the markup is what ``templates/admin/bookings/diary.html`` used to write.
"""

from datetime import datetime
from html import escape
from urllib.parse import quote
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

from ..diary import DiaryBlock, DiaryColumn

_PK = "0pk0"  # Stands for the primary key in a URL reversed once for every appointment.


def _clock(moment: datetime) -> str:
    """``HH:MM`` of an aware datetime already in the clinic's time zone."""
    return f"{moment.hour:02d}:{moment.minute:02d}"


class DiaryGrid:
    """Renders the inside of each column of one diary page.

    ``hours`` is :attr:`bookings.diary.Diary.hours`; ``can_book`` makes free time a link to the
    phone booking form at that time, with that practitioner.
    """

    def __init__(self, *, hours: list[tuple[str, int]], tz: ZoneInfo, can_book: bool):
        self.tz = tz
        self.can_book = can_book
        self.book_url = escape(reverse("admin:bookings_appointment_book"))
        change_url = reverse("admin:bookings_appointment_change", args=[_PK])
        self.change_url = escape(change_url.replace(_PK, "{pk}"))
        self.free_label = escape(gettext("Free: book %(who)s at %(time)s on %(day)s"))
        self.free_word = escape(gettext("Free"))
        self.lines = "".join(
            f'<span class="diary-line t-{row}" aria-hidden="true"></span>' for _label, row in hours
        )

    def column(self, column: DiaryColumn) -> SafeString:
        """The hour lines, then working time, time off, free time and appointments, in the
        order they stack."""
        parts = [self.lines]
        parts += [
            f'<div class="diary-working t-{b.row} h-{b.rows}" aria-hidden="true"></div>'
            for b in column.working
        ]
        parts += [
            f'<div class="diary-off t-{b.row} h-{b.rows}"><span>{escape(b.label)}</span></div>'
            for b in column.time_off
        ]
        parts += self._free(column) if self.can_book else self._free_static(column)
        parts += [self._appointment(b) for b in column.appointments]
        return mark_safe("".join(parts))  # Every value above is escaped or ours.

    def _free(self, column: DiaryColumn) -> list[str]:
        """One link per free time: "Free: book <who> at <time> on <day>" for a screen reader,
        the time on screen, and the phone booking form with that practitioner and start."""
        words = {
            "who": escape(column.practitioner.name),
            "day": escape(date_format(column.day, "l j F")),
        }
        href = f"{self.book_url}?practitioner={column.practitioner.pk}&amp;start="
        cells = []
        for b in column.free:
            local = b.start.astimezone(self.tz)
            clock = _clock(local)
            label = self.free_label % {**words, "time": clock}
            cells.append(
                f'<a class="diary-free t-{b.row} h-{b.rows}" href="{href}'
                f'{quote(local.isoformat())}" aria-label="{label}"><span>{clock}</span></a>'
            )
        return cells

    def _free_static(self, column: DiaryColumn) -> list[str]:
        """Free time for someone who may not book: shown, not a link."""
        return [
            f'<div class="diary-free is-static t-{b.row} h-{b.rows}"><span class="visually-hidden">'
            f"{self.free_word} </span><span>{_clock(b.start.astimezone(self.tz))}</span></div>"
            for b in column.free
        ]

    def _appointment(self, block: DiaryBlock) -> str:
        """The appointment's times, status, patient, phone, a note's start and the service;
        the whole block opens the appointment."""
        a = block.appointment
        status = escape(a.status)
        name = escape(a.patient_name)
        times = f"{_clock(a.start.astimezone(self.tz))}\u2013{_clock(a.end.astimezone(self.tz))}"
        note = (
            f'<span class="diary-appt-alert">⚠ {escape(Truncator(a.notes).chars(40))}</span>\n'
            if a.notes
            else ""
        )
        return (
            f'<a class="diary-appt status-{status} t-{block.row} h-{block.rows}" '
            f'href="{self.change_url.format(pk=a.pk)}">\n'
            f'<span class="diary-appt-time">{times} '
            f'<span class="status-badge status-{status}">{escape(a.status_label)}</span></span>\n'
            f'<span class="diary-appt-who" title="{name}">{name}</span>\n'
            f'<span class="diary-appt-phone">{escape(a.patient_phone)}</span>\n'
            f'{note}<span class="diary-appt-what">{escape(a.service_name)}</span>\n'
            "</a>"
        )
