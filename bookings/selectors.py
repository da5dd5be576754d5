"""Reads for booking: free slots, and the discount code a patient typed.

``slot_list_available`` makes four queries whatever the number of days or practitioners:
practitioners, their working hours (prefetched), busy time (appointments and time off in the
range, in one query) and the clinic's closures (``bookings.closures``: bank holidays and
staff-added days). The slots API's ``slot_starts_catalogued`` makes one, busy time with the
slot catalogue's version beside it, and reads the rest from this process's copy of the catalogue
(``bookings.catalogue``). Everything else happens in the pure ``bookings.availability`` core.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone

from .availability import (
    Busy,
    PractitionerSchedule,
    Slot,
    WorkingPeriod,
    free_starts_between,
    from_micros,
    micros,
    slots_free_between,
    slots_from_starts,
)
from .catalogue import (
    WITH_VERSION,
    PractitionerDiary,
    ServiceShape,
    SlotCatalogue,
    catalogue_version,
)
from .closures import closures_between
from .compiled import CompiledQuery, EpochMicros
from .days import clinic_tz, local_days_span
from .diary import Booked, Closed, Diary, DiaryAppointment, Free, diary_layout
from .models import Appointment, DiscountCode, Practitioner, Service, TimeOff, WorkingHours


def booking_window(*, now: datetime | None = None) -> tuple[datetime, datetime]:
    """The earliest and latest start a patient may book now (minimum notice and horizon)."""
    now = now or timezone.now()
    return (
        now + timedelta(hours=settings.BOOKING_MIN_NOTICE_HOURS),
        now + timedelta(days=settings.BOOKING_HORIZON_DAYS),
    )


def booking_step() -> timedelta:
    return timedelta(minutes=settings.BOOKING_SLOT_STEP_MINUTES)


def practitioner_list_for_service(
    *, service: Service, practitioner: Practitioner | None = None
) -> list[Practitioner]:
    """Who may take ``service`` (just ``practitioner`` if given), with their working hours.

    Two queries: the practitioners and their working hours.
    """
    practitioners = Practitioner.objects.bookable_for(service).prefetch_related(
        Prefetch("working_hours", queryset=WorkingHours.objects.order_by("weekday", "start"))
    )
    if practitioner is not None:
        practitioners = practitioners.filter(pk=practitioner.pk)
    return list(practitioners)


def practitioner_schedule_list(
    *,
    practitioners: Sequence[Practitioner],
    first_day: date,
    last_day: date,
    exclude_appointment_id: int | None = None,
    closures: bool = True,
) -> tuple[list[PractitionerSchedule], list[Busy]]:
    """Schedules (working hours, appointments with buffers, time off) and clinic closures.

    Two queries: busy time (:func:`busy_time_between`) and the closed days. Working hours must
    already be prefetched. ``exclude_appointment_id`` leaves one appointment out, so that moving
    it may reuse part of its own time. ``closures=False`` leaves closed days open (staff booking
    by phone, who are warned instead: see :func:`closure_on`).
    """
    busy, clinic_micros = busy_time_between(
        practitioner_ids=[p.pk for p in practitioners],
        first_day=first_day,
        last_day=last_day,
        exclude_appointment_id=exclude_appointment_id,
    )
    if closures:
        clinic_micros += closed_days_micros(first_day=first_day, last_day=last_day)
    schedules = [
        PractitionerSchedule(
            practitioner=practitioner,
            working=working_periods(practitioner),
            busy=[
                Busy(from_micros(start), from_micros(end)) for start, end in busy[practitioner.pk]
            ],
        )
        for practitioner in practitioners
    ]
    return schedules, [Busy(from_micros(start), from_micros(end)) for start, end in clinic_micros]


def working_periods(practitioner: Practitioner) -> list[WorkingPeriod]:
    """The practitioner's week for the availability core (working hours prefetched)."""
    return [
        WorkingPeriod(weekday=hours.weekday, start=hours.start, end=hours.end)
        for hours in practitioner.working_hours.all()
    ]


def _busy_time(*, ids, range_start, range_end, now, exclude_appointment_id=None) -> QuerySet:
    """Busy time of practitioners ``ids`` and of the whole clinic overlapping
    ``[range_start, range_end)``: rows of (practitioner id, or None for the whole clinic, start,
    end), the instants in microseconds since the epoch (``EpochMicros``). Appointments count to
    the end of their buffer; time off and closures share the shape, so this is one union."""
    appointments = (
        Appointment.objects.active(now=now)
        .holding_time_between(range_start, range_end)
        # practitioner__id, not practitioner_id: the foreign key's own lookup refuses
        # placeholders (CompiledQuery); this one compiles to the same column, with no join.
        .filter(practitioner__id__in=ids)
    )
    if exclude_appointment_id is not None:
        appointments = appointments.exclude(pk=exclude_appointment_id)
    time_off = _time_off_for(ids, range_start, range_end)
    return (
        appointments.values_list(
            "practitioner_id", EpochMicros("start"), EpochMicros("blocked_until")
        )
        .order_by()
        .union(
            time_off.values_list(
                "practitioner_id", EpochMicros("start"), EpochMicros("end")
            ).order_by(),
            all=True,
        )
    )


# Slot requests run it again and again: the SQL is compiled once (bookings.compiled). It
# brings the slot catalogue's version along, for the slots API (see busy_time_versioned).
_busy_time_query = CompiledQuery(_busy_time, wrap=WITH_VERSION)


def busy_time_between(
    *,
    practitioner_ids: Sequence[int],
    first_day: date,
    last_day: date,
    exclude_appointment_id: int | None = None,
) -> tuple[dict[int, list[tuple[int, int]]], list[tuple[int, int]]]:
    """Each practitioner's busy intervals, and the clinic-wide ones (closures entered as time
    off), around the clinic's days ``first_day`` to ``last_day``, in microseconds since the
    epoch. One query; none without practitioners."""
    if not practitioner_ids:
        return {}, []
    busy, clinic, _version = busy_time_versioned(
        practitioner_ids=practitioner_ids,
        first_day=first_day,
        last_day=last_day,
        exclude_appointment_id=exclude_appointment_id,
    )
    return busy, clinic


def busy_time_versioned(
    *,
    practitioner_ids: Sequence[int],
    first_day: date,
    last_day: date,
    exclude_appointment_id: int | None = None,
) -> tuple[dict[int, list[tuple[int, int]]], list[tuple[int, int]], int]:
    """:func:`busy_time_between` and, read in the same query, the slot catalogue's version
    (``bookings.catalogue``). One query, even without practitioners."""
    if not practitioner_ids:
        return {}, [], catalogue_version()
    # A day's slots can reach past its midnight (buffers) and busy time can start the day
    # before, so look one day either side; it costs nothing and keeps edges right.
    range_start, range_end = local_days_span(
        first_day - timedelta(days=1), last_day + timedelta(days=1)
    )
    values = {
        "ids": list(practitioner_ids),
        "range_start": range_start,
        "range_end": range_end,
        "now": timezone.now(),  # a hold lapsed by now holds no time
    }
    if exclude_appointment_id is not None:
        values["exclude_appointment_id"] = exclude_appointment_id
    busy: dict[int, list[tuple[int, int]]] = {pk: [] for pk in practitioner_ids}
    clinic: list[tuple[int, int]] = []
    version = None
    for practitioner_id, start, end, row_version in _busy_time_query.rows(**values):
        if row_version is not None:
            version = row_version
        elif practitioner_id is None:
            clinic.append((start, end))
        else:
            busy[practitioner_id].append((start, end))
    return busy, clinic, version


def closed_days_micros(*, first_day: date, last_day: date) -> list[tuple[int, int]]:
    """Each day the clinic is closed, from its local midnight to the next, in microseconds."""
    return _days_micros(closures_between(first_day, last_day))


def _days_micros(days: Iterable[date]) -> list[tuple[int, int]]:
    return [
        (micros(start), micros(end)) for start, end in (local_days_span(day, day) for day in days)
    ]


def closure_on(day: date) -> str | None:
    """Why the clinic is closed on ``day`` (a bank holiday's name or the staff's reason)."""
    return closures_between(day, day).get(day)


def _time_off_for(ids: list[int], start: datetime, end: datetime) -> QuerySet[TimeOff]:
    """The clinic's closures and these practitioners' time off overlapping ``[start, end)``."""
    return TimeOff.objects.filter(
        Q(practitioner__isnull=True) | Q(practitioner__id__in=ids), start__lt=end, end__gt=start
    )


def _schedules_build(
    *, practitioners: Sequence[Practitioner], key, appointments, time_off
) -> tuple[list[PractitionerSchedule], list[Busy]]:
    """The availability core's input from rows of ``(practitioner id, start, end)``.

    ``appointments`` end where their buffer ends; time off without a practitioner closes the
    clinic. ``key`` is what each schedule (and so each slot) names its practitioner by.
    """
    busy: dict[int, list[Busy]] = {p.pk: [] for p in practitioners}
    for practitioner_id, start, end in appointments:
        busy[practitioner_id].append(Busy(start=start, end=end))
    clinic_busy: list[Busy] = []
    for practitioner_id, start, end in time_off:
        interval = Busy(start=start, end=end)
        if practitioner_id is None:
            clinic_busy.append(interval)
        else:
            busy[practitioner_id].append(interval)
    schedules = [
        PractitionerSchedule(
            practitioner=key(practitioner),
            working=working_periods(practitioner),
            busy=busy[practitioner.pk],
        )
        for practitioner in practitioners
    ]
    return schedules, clinic_busy


def slot_starts_between(
    *,
    service: Service | ServiceShape,
    diaries: Sequence[tuple[int, Sequence[WorkingPeriod]]],
    busy: dict[int, list[tuple[int, int]]],
    clinic_busy: list[tuple[int, int]],
    first_day: date,
    last_day: date,
    closed_days: Iterable[date],
    now: datetime | None = None,
) -> list[tuple[int, int]]:
    """Free starts of ``service`` for the practitioners of ``diaries`` (each a primary key and
    working periods, in the order patients see them) with the ``busy`` time of
    :func:`busy_time_between`, on the clinic's days ``first_day`` to ``last_day``, none on
    ``closed_days``: ``(start, index into diaries)`` pairs, the start in microseconds since the
    epoch, sorted by start and then by practitioner. No query."""
    not_before, not_after = booking_window(now=now)
    return free_starts_between(
        working=[working for _pk, working in diaries],
        busy=[busy[pk] for pk, _working in diaries],
        first_day=first_day,
        last_day=last_day,
        duration=service.duration,
        buffer_after=service.buffer_after,
        step=booking_step(),
        not_before=not_before,
        not_after=not_after,
        tz=clinic_tz(),
        clinic_busy=[*clinic_busy, *_days_micros(closed_days)],
    )


def slot_starts_available(
    *,
    service: Service,
    first_day: date,
    last_day: date | None = None,
    practitioner: Practitioner | None = None,
    now: datetime | None = None,
    closures: bool = True,
    exclude_appointment_id: int | None = None,
) -> tuple[list[Practitioner], list[tuple[int, int]]]:
    """:func:`slot_list_available` without datetimes: the practitioners considered, and the
    free starts as :func:`slot_starts_between` gives them (indexes into that list)."""
    last_day = last_day or first_day
    practitioners = practitioner_list_for_service(service=service, practitioner=practitioner)
    if not practitioners:
        return [], []
    busy, clinic_busy = busy_time_between(
        practitioner_ids=[p.pk for p in practitioners],
        first_day=first_day,
        last_day=last_day,
        exclude_appointment_id=exclude_appointment_id,
    )
    return practitioners, slot_starts_between(
        service=service,
        diaries=[(p.pk, working_periods(p)) for p in practitioners],
        busy=busy,
        clinic_busy=clinic_busy,
        first_day=first_day,
        last_day=last_day,
        closed_days=closures_between(first_day, last_day) if closures else (),
        now=now,
    )


def slot_starts_catalogued(
    *,
    catalogue: SlotCatalogue,
    service: ServiceShape,
    practitioner: PractitionerDiary | None,
    first_day: date,
    last_day: date,
    now: datetime | None = None,
) -> tuple[Sequence[PractitionerDiary], list[tuple[int, int]], int]:
    """Like :func:`slot_starts_available`, for a service and practitioner of ``catalogue``
    (``bookings.catalogue``), which also gives their working hours and the closed days; plus
    the catalogue's version now, read with busy time in one query. The slots API's path, where
    every round trip counts: if the version is not ``catalogue.version`` the answer came from
    an out-of-date copy and must be worked out again from a fresh one."""
    practitioners = (practitioner,) if practitioner else catalogue.practitioners(service)
    busy, clinic_busy, version = busy_time_versioned(
        practitioner_ids=[p.pk for p in practitioners], first_day=first_day, last_day=last_day
    )
    found = slot_starts_between(
        service=service,
        diaries=[(p.pk, p.working) for p in practitioners],
        busy=busy,
        clinic_busy=clinic_busy,
        first_day=first_day,
        last_day=last_day,
        closed_days=catalogue.closed_between(first_day, last_day),
        now=now,
    )
    return practitioners, found, version


def slot_list_available(
    *,
    service: Service,
    first_day: date,
    last_day: date | None = None,
    practitioner: Practitioner | None = None,
    now: datetime | None = None,
    closures: bool = True,
    exclude_appointment_id: int | None = None,
) -> list[Slot]:
    """Free slots for ``service`` on the clinic's days ``first_day`` to ``last_day``.

    With no ``practitioner`` every practitioner offering the service is considered ("any
    available"); slots at the same time come in the practitioners' display order. Each
    :class:`Slot` carries its :class:`Practitioner`. Four queries, whatever the range. Days the
    clinic is closed offer nothing unless ``closures`` is false (staff, who are warned).
    ``exclude_appointment_id`` leaves one appointment out of busy time: the one being moved,
    which may move onto part of its own time.
    """
    practitioners, found = slot_starts_available(
        service=service,
        first_day=first_day,
        last_day=last_day,
        practitioner=practitioner,
        now=now,
        closures=closures,
        exclude_appointment_id=exclude_appointment_id,
    )
    return slots_from_starts(found, duration=service.duration, practitioners=practitioners)


def slot_days_available(*, slots: Sequence[Slot]) -> dict[date, list[Slot]]:
    """Slots grouped by the clinic's local day, one per start time (the first practitioner)."""
    tz = clinic_tz()
    days: dict[date, list[Slot]] = {}
    seen: set[datetime] = set()
    for slot in slots:
        if slot.start in seen:
            continue
        seen.add(slot.start)
        days.setdefault(slot.start.astimezone(tz).date(), []).append(slot)
    return days


def discount_code_get(*, code: str) -> DiscountCode | None:
    """The discount code typed, in any case and with stray spaces, or ``None``."""
    code = code.strip()
    if not code:
        return None
    return DiscountCode.objects.filter(code__iexact=code).prefetch_related("services").first()


# --- The staff diary and dashboard ------------------------------------------------------------


def diary_build(
    *,
    practitioners: QuerySet[Practitioner],
    first_day: date,
    days: int,
    appointments: QuerySet[Appointment],
    now: datetime | None = None,
) -> Diary:
    """Columns (one per day and practitioner) of appointments, time off and bookable free time.

    Five queries whatever the number of appointments: practitioners, their working hours,
    appointments (as :class:`~bookings.diary.DiaryAppointment` rows), time off and closed
    days. ``appointments`` is the caller's queryset (already limited to what the user may
    see). Free time is what the availability core offers in steps of
    ``BOOKING_SLOT_STEP_MINUTES`` within the booking window, so every free cell is a time a
    phone booking can take. The layout is :func:`bookings.diary.diary_layout`.
    """
    now = now or timezone.now()
    tz = clinic_tz()
    last_day = first_day + timedelta(days=days - 1)
    practitioners = list(
        practitioners.prefetch_related(
            Prefetch("working_hours", queryset=WorkingHours.objects.order_by("weekday", "start"))
        )
    )
    ids = [p.pk for p in practitioners]
    range_start, range_end = local_days_span(first_day, last_day)
    booked = _diary_appointments(
        appointments.active()
        .holding_time_between(range_start, range_end)
        .filter(practitioner_id__in=ids)
        .order_by("start")
    )
    time_off = list(_time_off_for(ids, range_start, range_end))
    closed_days = closures_between(first_day, last_day)
    closed = [Closed(off.practitioner_id, off.start, off.end, off.reason) for off in time_off]
    closed += [
        Closed(None, *local_days_span(day, day), reason) for day, reason in closed_days.items()
    ]
    schedules, clinic_busy = _schedules_build(
        practitioners=practitioners,
        key=lambda practitioner: practitioner.pk,
        appointments=[(a.practitioner_id, a.start, a.blocked_until) for a in booked],
        time_off=[(c.practitioner, c.start, c.end) for c in closed],
    )
    step = booking_step()
    not_before, not_after = booking_window(now=now)
    free_cells = slots_free_between(
        schedules=schedules,
        first_day=first_day,
        last_day=last_day,
        duration=step,
        buffer_after=timedelta(0),
        step=step,
        not_before=not_before,
        not_after=not_after,
        tz=tz,
        clinic_busy=clinic_busy,
    )
    return diary_layout(
        days=[first_day + timedelta(days=i) for i in range(days)],
        practitioners=practitioners,
        working={schedule.practitioner: schedule.working for schedule in schedules},
        booked=[Booked(a.practitioner_id, a.start, a.end, appointment=a) for a in booked],
        closed=closed,
        free=[Free(cell.practitioner, cell.start, cell.end) for cell in free_cells],
        today=timezone.localdate(now),
        tz=tz,
    )


def _diary_appointments(appointments: QuerySet[Appointment]) -> list[DiaryAppointment]:
    """The diary's view of ``appointments``: rows of plain values (with the service's name and
    the status's label), not model instances, which cost six times as much to read."""
    rows = list(
        appointments.values_list(
            "pk",
            "practitioner_id",
            "start",
            "end",
            "blocked_until",
            "status",
            "patient_name",
            "patient_phone",
            "notes",
            "service__name",
        )
    )
    labels = {
        status: str(Appointment.status_display(status)) for status in {row[5] for row in rows}
    }
    return [DiaryAppointment(*row, status_label=labels[row[5]]) for row in rows]


@dataclass(frozen=True)
class WeekCount:
    week_start: date
    bookings: int
    discounted: int


def bookings_per_week(
    *, appointments: QuerySet[Appointment], weeks: int = 12, today: date | None = None
) -> list[WeekCount]:
    """Bookings made (by creation time) in each of the last ``weeks`` weeks, Monday first,
    and how many of them used a discount code. One query."""
    tz = clinic_tz()
    today = today or timezone.localdate()
    this_monday = today - timedelta(days=today.weekday())
    first_monday = this_monday - timedelta(weeks=weeks - 1)
    rows = (
        appointments.booked_since(first_monday)
        .annotate(week=TruncWeek("created_at", tzinfo=tz))
        .values("week")
        .annotate(
            bookings=Count("pk"),
            discounted=Count("pk", filter=~Q(discount_code_text="")),
        )
    )
    counts = {}
    for row in rows:
        week = row["week"]
        week = week.astimezone(tz).date() if isinstance(week, datetime) else week
        counts[week] = (row["bookings"], row["discounted"])
    return [
        WeekCount(monday, *counts.get(monday, (0, 0)))
        for monday in (first_monday + timedelta(weeks=i) for i in range(weeks))
    ]


def slot_starts_offered(
    *,
    service: Service,
    start: datetime | None,
    practitioner: Practitioner | None = None,
    exclude_appointment_id: int | None = None,
) -> set[datetime]:
    """The starts offered for ``service`` on the clinic day of ``start`` (none without one).

    What a posted time is checked against: a time the patient could not have been shown is
    refused, whatever the form says. ``exclude_appointment_id``: as for
    :func:`slot_list_available` (a move).
    """
    if start is None:
        return set()
    day = start.astimezone(clinic_tz()).date()
    return {
        slot.start
        for slot in slot_list_available(
            service=service,
            first_day=day,
            practitioner=practitioner,
            exclude_appointment_id=exclude_appointment_id,
        )
    }


def discount_code_use_counts(*, appointments) -> list[tuple[str, int]]:
    """How many times each code is in use among ``appointments``, most used first.

    The same count as a code's ``times_used``: one per live redemption, so a cancelled booking
    no longer counts (its redemption was released). The dashboard reports this.
    """
    from django.db.models import Count

    from .models import DiscountRedemption

    return list(
        DiscountRedemption.objects.filter(appointment__in=appointments)
        .values_list("code__code")
        .annotate(n=Count("pk"))
        .order_by("-n", "code__code")
        .values_list("code__code", "n")
    )


def appointment_list_for_email(
    *, email: str, now: datetime | None = None
) -> tuple[list[Appointment], list[Appointment]]:
    """Bookings made with ``email``: upcoming (soonest first) and past (latest first).

    One query. Cancelled appointments are listed with the past ones, whenever they were due.
    """
    now = now or timezone.now()
    rows = list(
        Appointment.objects.filter(patient_email__iexact=email.strip())
        .select_related("service", "practitioner")
        .order_by("start")
    )
    upcoming = [a for a in rows if a.start >= now and not a.is_cancelled]
    past = [a for a in rows if a not in upcoming]
    return upcoming, list(reversed(past))
