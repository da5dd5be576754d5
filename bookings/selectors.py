"""Reads for booking: free slots, and the discount code a patient typed.

``slot_list_available`` makes four queries whatever the number of days or practitioners:
practitioners, their working hours (prefetched), appointments in the range and time off in the
range. Everything else happens in the pure ``bookings.availability`` core.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone

from .availability import Busy, PractitionerSchedule, Slot, WorkingPeriod, slots_free_between
from .models import Appointment, DiscountCode, Practitioner, Service, TimeOff, WorkingHours


def clinic_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


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
) -> tuple[list[PractitionerSchedule], list[Busy]]:
    """Schedules (working hours, appointments with buffers, time off) and clinic closures.

    Two queries: appointments and time off overlapping the local days ``first_day`` to
    ``last_day``. Working hours must already be prefetched. ``exclude_appointment_id`` leaves
    one appointment out, so that moving it may reuse part of its own time.
    """
    tz = clinic_tz()
    # A day's slots can reach past its midnight (buffers) and busy time can start the day
    # before, so look one day either side; it costs nothing and keeps edges right.
    range_start = datetime.combine(first_day - timedelta(days=1), time.min, tzinfo=tz)
    range_end = datetime.combine(last_day + timedelta(days=2), time.min, tzinfo=tz)
    ids = [p.pk for p in practitioners]
    busy: dict[int, list[Busy]] = {pk: [] for pk in ids}
    if ids:
        appointments = (
            Appointment.objects.active()
            .blocking(range_start, range_end)
            .filter(practitioner_id__in=ids)
            .exclude(pk=exclude_appointment_id)
            .values_list("practitioner_id", "start", "blocked_until")
        )
        for practitioner_id, start, blocked_until in appointments:
            busy[practitioner_id].append(Busy(start=start, end=blocked_until))
    clinic_busy: list[Busy] = []
    time_off = TimeOff.objects.filter(
        Q(practitioner__isnull=True) | Q(practitioner_id__in=ids),
        start__lt=range_end,
        end__gt=range_start,
    ).values_list("practitioner_id", "start", "end")
    for practitioner_id, start, end in time_off:
        interval = Busy(start=start, end=end)
        if practitioner_id is None:
            clinic_busy.append(interval)
        else:
            busy[practitioner_id].append(interval)
    schedules = [
        PractitionerSchedule(
            practitioner=practitioner,
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
) -> list[Slot]:
    """Free slots for ``service`` on the clinic's days ``first_day`` to ``last_day``.

    With no ``practitioner`` every practitioner offering the service is considered ("any
    available"); slots at the same time come in the practitioners' display order. Each
    :class:`Slot` carries its :class:`Practitioner`. Four queries, whatever the range.
    """
    last_day = last_day or first_day
    not_before, not_after = booking_window(now=now)
    practitioners = practitioner_list_for_service(service=service, practitioner=practitioner)
    if not practitioners:
        return []
    schedules, clinic_busy = practitioner_schedule_list(
        practitioners=practitioners, first_day=first_day, last_day=last_day
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

#: The diary's vertical grid: one row per five minutes. Positions are whole rows so the page
#: can place blocks with classes from ``static/css/admin-diary.css`` (``t-<row>``, ``h-<rows>``):
#: the Content-Security-Policy allows no inline styles.
DIARY_ROW_MINUTES = 5
DIARY_MAX_ROWS = 24 * 60 // DIARY_ROW_MINUTES


@dataclass(frozen=True)
class DiaryBlock:
    """Something drawn in a diary column: it starts at grid ``row`` and spans ``rows`` rows."""

    row: int
    rows: int
    start: datetime
    end: datetime
    appointment: Appointment | None = None
    label: str = ""


@dataclass
class DiaryColumn:
    day: date
    practitioner: Practitioner
    is_today: bool
    working: list[DiaryBlock] = field(default_factory=list)
    appointments: list[DiaryBlock] = field(default_factory=list)
    time_off: list[DiaryBlock] = field(default_factory=list)
    free: list[DiaryBlock] = field(default_factory=list)


@dataclass
class Diary:
    days: list[date]
    practitioners: list[Practitioner]
    columns: list[DiaryColumn]
    hours: list[tuple[str, int]]
    rows: int
    first_minute: int


def _minutes(moment: datetime, tz: ZoneInfo) -> int:
    """Minutes since midnight on the clinic's clock (wall clock, so clock-change days line up)."""
    local = moment.astimezone(tz)
    return local.hour * 60 + local.minute


def diary_build(
    *,
    practitioners: QuerySet[Practitioner],
    first_day: date,
    days: int,
    appointments: QuerySet[Appointment],
    now: datetime | None = None,
) -> Diary:
    """Columns (one per day and practitioner) of appointments, time off and bookable free time.

    Four queries whatever the number of appointments: practitioners, their working hours,
    appointments (with service and practitioner) and time off. ``appointments`` is the caller's
    queryset (already limited to what the user may see). Free time is what the availability
    core offers in steps of ``BOOKING_SLOT_STEP_MINUTES`` within the booking window, so every
    free cell is a time a phone booking can take.
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
    range_start = datetime.combine(first_day, time.min, tzinfo=tz)
    range_end = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=tz)
    booked = list(
        appointments.active()
        .blocking(range_start, range_end)
        .filter(practitioner_id__in=ids)
        .select_related("service", "practitioner")
        .order_by("start")
    )
    time_off = list(
        TimeOff.objects.filter(
            Q(practitioner__isnull=True) | Q(practitioner_id__in=ids),
            start__lt=range_end,
            end__gt=range_start,
        )
    )

    busy: dict[int, list[Busy]] = {pk: [] for pk in ids}
    for appointment in booked:
        busy[appointment.practitioner_id].append(
            Busy(start=appointment.start, end=appointment.blocked_until)
        )
    clinic_busy = []
    for off in time_off:
        if off.practitioner_id is None:
            clinic_busy.append(Busy(start=off.start, end=off.end))
        else:
            busy[off.practitioner_id].append(Busy(start=off.start, end=off.end))
    schedules = [
        PractitionerSchedule(
            practitioner=p.pk,
            working=[
                WorkingPeriod(weekday=h.weekday, start=h.start, end=h.end)
                for h in p.working_hours.all()
            ],
            busy=busy[p.pk],
        )
        for p in practitioners
    ]
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

    # The grid spans the working day (whole hours), stretched for anything booked outside it.
    starts = [
        h.start.hour * 60 + h.start.minute for p in practitioners for h in p.working_hours.all()
    ]
    ends = [h.end.hour * 60 + h.end.minute for p in practitioners for h in p.working_hours.all()]
    starts += [_minutes(a.start, tz) for a in booked]
    ends += [_minutes(a.start, tz) + int((a.end - a.start).total_seconds() // 60) for a in booked]
    first_minute = (min(starts, default=9 * 60) // 60) * 60
    last_minute = min(24 * 60, -(-max(ends, default=17 * 60) // 60) * 60)

    def block(start: datetime, end: datetime, day: date, **extra) -> DiaryBlock | None:
        day_start = datetime.combine(day, time.min, tzinfo=tz)
        day_end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)
        start, end = max(start, day_start), min(end, day_end)
        if start >= end:
            return None
        top_minute = max(_minutes(start, tz), first_minute)
        end_minute = min(
            last_minute,
            (24 * 60 if end == day_end else _minutes(end, tz)),
        )
        if end_minute <= top_minute:
            return None
        row = (top_minute - first_minute) // DIARY_ROW_MINUTES
        return DiaryBlock(
            row=row,
            rows=max(1, -(-(end_minute - first_minute) // DIARY_ROW_MINUTES) - row),
            start=start,
            end=end,
            **extra,
        )

    today = timezone.localdate(now)
    columns: dict[tuple[date, int], DiaryColumn] = {}
    day_list = [first_day + timedelta(days=i) for i in range(days)]
    for day in day_list:
        for p in practitioners:
            column = DiaryColumn(day=day, practitioner=p, is_today=day == today)
            for hours in p.working_hours.all():
                if hours.weekday == day.weekday():
                    b = block(
                        datetime.combine(day, hours.start, tzinfo=tz),
                        datetime.combine(day, hours.end, tzinfo=tz),
                        day,
                    )
                    if b:
                        column.working.append(b)
            columns[(day, p.pk)] = column
    for appointment in booked:
        for day in day_list:
            column = columns.get((day, appointment.practitioner_id))
            b = column and block(appointment.start, appointment.end, day, appointment=appointment)
            if b:
                column.appointments.append(b)
    for off in time_off:
        for (day, pk), column in columns.items():
            if off.practitioner_id in (None, pk):
                label = off.reason or (
                    "Clinic closed" if off.practitioner_id is None else "Time off"
                )
                b = block(off.start, off.end, day, label=label)
                if b:
                    column.time_off.append(b)
    for cell in free_cells:
        day = cell.start.astimezone(tz).date()
        column = columns.get((day, cell.practitioner))
        b = column and block(cell.start, cell.end, day)
        if b:
            column.free.append(b)

    hours = [
        (f"{minute // 60:02d}:00", (minute - first_minute) // DIARY_ROW_MINUTES)
        for minute in range(first_minute, last_minute, 60)
    ]
    shown = [
        columns[(day, p.pk)]
        for day in day_list
        for p in practitioners
        if days == 1 or columns[(day, p.pk)].working or columns[(day, p.pk)].appointments
    ]
    return Diary(
        days=day_list,
        practitioners=practitioners,
        # A week leaves out the days a practitioner neither works nor has a booking.
        columns=shown,
        hours=hours,
        rows=(last_minute - first_minute) // DIARY_ROW_MINUTES,
        first_minute=first_minute,
    )


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
    since = datetime.combine(first_monday, time.min, tzinfo=tz)
    rows = (
        appointments.filter(created_at__gte=since)
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
