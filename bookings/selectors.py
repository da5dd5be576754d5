"""Reads for booking: free slots, and the discount code a patient typed.

``slot_list_available`` makes four queries whatever the number of days or practitioners:
practitioners, their working hours (prefetched), appointments in the range and time off in the
range. Everything else happens in the pure ``bookings.availability`` core.
"""

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Prefetch, Q
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
    *, practitioners: Sequence[Practitioner], first_day: date, last_day: date
) -> tuple[list[PractitionerSchedule], list[Busy]]:
    """Schedules (working hours, appointments with buffers, time off) and clinic closures.

    Two queries: appointments and time off overlapping the local days ``first_day`` to
    ``last_day``. Working hours must already be prefetched.
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
            .filter(practitioner_id__in=ids, start__lt=range_end, blocked_until__gt=range_start)
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
