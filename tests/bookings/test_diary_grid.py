"""The diary's blocks as HTML (bookings/admin_views/diary_grid.py): links, wording, escaping.

The grid is fed plain values here; the page test at the end goes through the real booking
service and the admin.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bookings.admin_views.diary_grid import DiaryGrid
from bookings.diary import DiaryAppointment, DiaryBlock, DiaryColumn
from bookings.models import Appointment, Service
from bookings.services import Patient, appointment_book

LONDON = ZoneInfo("Europe/London")
MONDAY = date(2027, 1, 4)
SUMMER_MONDAY = date(2027, 7, 5)
BOOK = "/admin/bookings/appointment/book/"


@dataclass(frozen=True)
class Person:
    pk: int
    name: str


TOM = Person(7, "Tom O'Neil <b>")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON).astimezone(UTC)


def column(day: date = MONDAY, **blocks) -> DiaryColumn:
    return DiaryColumn(day=day, practitioner=TOM, is_today=False, **blocks)


def grid(*, can_book: bool = True) -> DiaryGrid:
    return DiaryGrid(hours=[("09:00", 0), ("10:00", 12)], tz=LONDON, can_book=can_book)


def free(day: date, hour: int, minute: int = 0) -> DiaryBlock:
    start = at(day, hour, minute)
    return DiaryBlock(row=3, rows=3, start=start, end=start + timedelta(minutes=15))


def visit(**changes) -> DiaryAppointment:
    values = {
        "pk": 42,
        "practitioner_id": TOM.pk,
        "start": at(MONDAY, 10),
        "end": at(MONDAY, 10, 45),
        "blocked_until": at(MONDAY, 11),
        "status": "confirmed",
        "patient_name": "Ann <script>alert(1)</script>",
        "patient_phone": "07700 900123",
        "notes": "",
        "service_name": "Initial & follow-up",
        "status_label": "Confirmed",
    }
    return DiaryAppointment(**{**values, **changes})


def booked(appointment: DiaryAppointment) -> DiaryBlock:
    return DiaryBlock(
        row=12, rows=9, start=appointment.start, end=appointment.end, appointment=appointment
    )


def test_each_free_time_links_to_the_phone_booking_with_a_spoken_name():
    html = grid().column(column(free=[free(MONDAY, 9, 15)]))
    assert (
        f'<a class="diary-free t-3 h-3" href="{BOOK}?practitioner=7&amp;start='
        '2027-01-04T09%3A15%3A00%2B00%3A00" '
        'aria-label="Free: book Tom O&#x27;Neil &lt;b&gt; at 09:15 on Monday 4 January">'
        "<span>09:15</span></a>"
    ) in html


def test_free_time_in_summer_shows_and_links_the_clinics_clock():
    html = grid().column(column(SUMMER_MONDAY, free=[free(SUMMER_MONDAY, 9)]))
    assert "start=2027-07-05T09%3A00%3A00%2B01%3A00" in html
    assert "at 09:00 on Monday 5 July" in html and "<span>09:00</span>" in html


def test_free_time_is_shown_but_not_a_link_for_someone_who_may_not_book():
    html = grid(can_book=False).column(column(free=[free(MONDAY, 9)]))
    assert "<a " not in html and BOOK not in html
    assert (
        '<div class="diary-free is-static t-3 h-3"><span class="visually-hidden">Free </span>'
        "<span>09:00</span></div>"
    ) in html


def test_an_appointment_opens_it_and_escapes_what_people_typed():
    html = grid().column(column(appointments=[booked(visit())]))
    assert (
        '<a class="diary-appt status-confirmed t-12 h-9" '
        'href="/admin/bookings/appointment/42/change/">'
    ) in html
    assert "10:00\u201310:45 " in html
    assert '<span class="status-badge status-confirmed">Confirmed</span>' in html
    assert "<script>" not in html
    assert 'title="Ann &lt;script&gt;alert(1)&lt;/script&gt;"' in html
    assert '<span class="diary-appt-what">Initial &amp; follow-up</span>' in html
    assert "diary-appt-alert" not in html  # no note, no warning


def test_a_note_is_cut_to_forty_characters():
    note = "Allergic to latex <tape>; " * 3
    html = grid().column(column(appointments=[booked(visit(notes=note))]))
    shown = "Allergic to latex &lt;tape&gt;; Allergic to l…"  # 39 characters and an ellipsis
    assert f'<span class="diary-appt-alert">⚠ {shown}</span>' in html


def test_any_status_is_drawn_with_its_label_and_a_class_of_its_own():
    pencilled = visit(status="pencilled", status_label="Pencilled in")
    html = grid().column(column(appointments=[booked(pencilled)]))
    assert '<a class="diary-appt status-pencilled ' in html
    assert '<span class="status-badge status-pencilled">Pencilled in</span>' in html


def test_hour_lines_working_time_and_time_off_are_drawn_in_order():
    html = grid().column(
        column(
            working=[DiaryBlock(row=0, rows=96, start=at(MONDAY, 9), end=at(MONDAY, 17))],
            time_off=[
                DiaryBlock(
                    row=48, rows=12, start=at(MONDAY, 13), end=at(MONDAY, 14), label="Dentist <3"
                )
            ],
        )
    )
    assert html == (
        '<span class="diary-line t-0" aria-hidden="true"></span>'
        '<span class="diary-line t-12" aria-hidden="true"></span>'
        '<div class="diary-working t-0 h-96" aria-hidden="true"></div>'
        '<div class="diary-off t-48 h-12"><span>Dentist &lt;3</span></div>'
    )


@pytest.mark.django_db
def test_the_diary_page_escapes_a_patients_name_and_links_their_appointment(clinic, staff_client):
    appointment = appointment_book(
        service=Service.objects.get(slug="follow-up"),
        practitioner=clinic.tom,
        start=datetime(2027, 1, 6, 11, tzinfo=UTC),
        patient=Patient(
            name="Zoë <img src=x onerror=alert(1)>", email="zoe@example.com", phone="07700 900999"
        ),
        booked_via=Appointment.BookedVia.STAFF,
    )
    html = staff_client.get("/admin/bookings/appointment/diary/?view=week&date=2027-01-06").text
    assert "<img src=x" not in html
    assert "Zoë &lt;img src=x onerror=alert(1)&gt;" in html
    assert f'href="/admin/bookings/appointment/{appointment.pk}/change/"' in html
    assert "11:00\u201311:30" in html


@pytest.mark.django_db
def test_a_booking_held_for_email_confirmation_shows_in_the_diary_as_held(
    clinic, staff_client, holds
):
    held = appointment_book(
        service=Service.objects.get(slug="follow-up"),
        practitioner=clinic.amira,
        start=datetime(2027, 1, 6, 14, tzinfo=UTC),
        patient=Patient(name="Hana Held", email="hana@example.com", phone="07700 900888"),
        booked_via=Appointment.BookedVia.WEB,
    )
    assert held.status == Appointment.Status.HELD
    html = staff_client.get("/admin/bookings/appointment/diary/?view=week&date=2027-01-06").text
    block = html.split(f'href="/admin/bookings/appointment/{held.pk}/change/"')[1].split("</a>")[0]
    assert '<span class="status-badge status-held">Awaiting email confirmation</span>' in block
    assert "Hana Held" in block
    # The time it holds is not offered as free.
    assert f"practitioner={clinic.amira.pk}&amp;start=2027-01-06T14%3A00" not in html
