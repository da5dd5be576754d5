"""Reads for booking: free slots, and the discount code a patient typed.

``slot_list_available`` makes four queries whatever the number of days or practitioners:
practitioners, their working hours (prefetched), busy time (appointments and time off in the
range, in one query) and the clinic's closures (``bookings.closures``: bank holidays and
staff-added days). Everything else happens in the pure ``bookings.availability`` core.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone

from .availability import Busy, PractitionerSchedule, Slot, WorkingPeriod, slots_free_between
from .closures import closures_between
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

    Two queries: appointments and time off overlapping the local days ``first_day`` to
    ``last_day``, as one union, and the closed days. Working hours must already be prefetched.
    ``exclude_appointment_id`` leaves one appointment out, so that moving it may reuse part of
    its own time. ``closures=False`` leaves closed days open (staff booking by phone, who are
    warned instead: see :func:`closure_on`).
    """
    # A day's slots can reach past its midnight (buffers) and busy time can start the day
    # before, so look one day either side; it costs nothing and keeps edges right.
    range_start, range_end = local_days_span(
        first_day - timedelta(days=1), last_day + timedelta(days=1)
    )
    ids = [p.pk for p in practitioners]
    busy = _time_off_for(ids, range_start, range_end).values_list("practitioner_id", "start", "end")
    if ids:
        # One round trip for all busy time: appointments (to the end of their buffer) and
        # time off share the shape (practitioner, start, end) and are told apart by use only.
        appointments = (
            Appointment.objects.active()
            .holding_time_between(range_start, range_end)
            .filter(practitioner_id__in=ids)
            .exclude(pk=exclude_appointment_id)
            .values_list("practitioner_id", "start", "blocked_until")
            .order_by()
        )
        busy = appointments.union(busy.order_by(), all=True)
    schedules, clinic_busy = _schedules_build(
        practitioners=practitioners,
        key=lambda practitioner: practitioner,
        appointments=(),
        time_off=busy,
    )
    if closures:
        clinic_busy.extend(closed_days_busy(first_day=first_day, last_day=last_day))
    return schedules, clinic_busy


def closed_days_busy(*, first_day: date, last_day: date) -> list[Busy]:
    """Each day the clinic is closed, as a clinic-wide busy interval (its local midnights)."""
    return [Busy(*local_days_span(day, day)) for day in closures_between(first_day, last_day)]


def closure_on(day: date) -> str | None:
    """Why the clinic is closed on ``day`` (a bank holiday's name or the staff's reason)."""
    return closures_between(day, day).get(day)


def _time_off_for(ids: list[int], start: datetime, end: datetime) -> QuerySet[TimeOff]:
    """The clinic's closures and these practitioners' time off overlapping ``[start, end)``."""
    return TimeOff.objects.filter(
        Q(practitioner__isnull=True) | Q(practitioner_id__in=ids), start__lt=end, end__gt=start
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
            working=[
                WorkingPeriod(weekday=hours.weekday, start=hours.start, end=hours.end)
                for hours in practitioner.working_hours.all()
            ],
            busy=busy[practitioner.pk],
        )
        for practitioner in practitioners
    ]
    return schedules, clinic_busy


def slot_list_available(
    *,
    service: Service,
    first_day: date,
    last_day: date | None = None,
    practitioner: Practitioner | None = None,
    now: datetime | None = None,
    closures: bool = True,
) -> list[Slot]:
    """Free slots for ``service`` on the clinic's days ``first_day`` to ``last_day``.

    With no ``practitioner`` every practitioner offering the service is considered ("any
    available"); slots at the same time come in the practitioners' display order. Each
    :class:`Slot` carries its :class:`Practitioner`. Four queries, whatever the range. Days the
    clinic is closed offer nothing unless ``closures`` is false (staff, who are warned).
    """
    last_day = last_day or first_day
    not_before, not_after = booking_window(now=now)
    practitioners = practitioner_list_for_service(service=service, practitioner=practitioner)
    if not practitioners:
        return []
    schedules, clinic_busy = practitioner_schedule_list(
        practitioners=practitioners, first_day=first_day, last_day=last_day, closures=closures
    )
    return slots_free_between(
        schedules=schedules,
        first_day=first_day,
        last_day=last_day,
        duration=service.duration,
        buffer_after=service.buffer_after,
        step=booking_step(),
        not_before=not_before,
        not_after=not_after,
        tz=clinic_tz(),
        clinic_busy=clinic_busy,
    )


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
    *, service: Service, start: datetime | None, practitioner: Practitioner | None = None
) -> set[datetime]:
    """The starts offered for ``service`` on the clinic day of ``start`` (none without one).

    What a posted time is checked against: a time the patient could not have been shown is
    refused, whatever the form says.
    """
    if start is None:
        return set()
    day = start.astimezone(clinic_tz()).date()
    return {
        slot.start
        for slot in slot_list_available(service=service, first_day=day, practitioner=practitioner)
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
