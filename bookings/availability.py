"""Free appointment slots, computed from plain values.

This is the pure core of booking: given each practitioner's weekly working hours, the time they
are already busy and the shape of the service being booked, it lists the starts a patient may
choose. It never touches the database. The selector around it loads working hours, appointments
and time off, turns them into the values below and calls :func:`slots_free_between`; the booking
service re-checks a patient's choice with :func:`slot_is_free` before it writes.

Time rules, because a UK clinic lives through two clock changes a year:

* Working hours are wall-clock times in the clinic's zone (``tz``, Europe/London). Someone who
  works 09:00-17:00 starts when the clinic's clock shows 09:00, in GMT and in BST alike.
* Candidate starts are laid every ``step`` of *wall-clock* time from the start of each working
  period, so a 09:10 period with a 20-minute step offers 09:10, 09:30, 09:50, ...
* A wall-clock time the clocks skip (01:00-02:00 on the last Sunday of March) offers no slot.
  A wall-clock time that happens twice (01:00-02:00 on the last Sunday of October) is offered
  once, at its first occurrence, so a patient never sees the same time listed twice.
* Lengths are absolute time: a 45-minute service lasts 45 real minutes even across a change.
  A slot must finish by the moment the clinic's clock first shows the period's end time.
* Busy intervals are half-open ``[start, end)``; a slot may start exactly when one ends.

Buffers: a service's ``buffer_after`` (clean-up, notes) must be free of other bookings but may
run past the end of the working period. Busy intervals must *already include* the buffers of the
appointments they come from: the caller passes ``[appointment.start, appointment.end +
appointment.buffer_after)``, because only the caller knows which service each appointment was
for. Minimum notice and the booking horizon are the bounds ``not_before`` and ``not_after`` on
a slot's start, both inclusive.
"""

from __future__ import annotations

import bisect
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate, pairwise, repeat
from operator import attrgetter
from typing import NamedTuple
from zoneinfo import ZoneInfo

__all__ = [
    "Busy",
    "PractitionerSchedule",
    "Slot",
    "WorkingPeriod",
    "slot_is_free",
    "slots_free_between",
]

_ONE_DAY = timedelta(days=1)
_ONE_SECOND = timedelta(seconds=1)


def _require_aware(name: str, value: datetime) -> None:
    # A naive datetime's utcoffset() is None too: one call checks both.
    if value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got {value!r}")


@dataclass(frozen=True, slots=True)
class WorkingPeriod:
    """A stretch of a practitioner's regular week, in the clinic's wall-clock time.

    ``weekday`` follows :meth:`datetime.date.weekday` (0 is Monday). A period lies within one day;
    a day with a lunch break is two periods.
    """

    weekday: int
    start: time
    end: time

    def __post_init__(self) -> None:
        if self.weekday not in range(7):
            raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), got {self.weekday}")
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            # The zone is the clinic's, given once to slots_free_between; a per-period zone
            # would silently disagree with it.
            raise ValueError("working period times are wall-clock times and take no tzinfo")
        if self.start >= self.end:
            raise ValueError(f"working period must end after it starts: {self.start}-{self.end}")


@dataclass(frozen=True, slots=True)
class Busy:
    """A half-open interval ``[start, end)`` in which no new appointment may be placed."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        _require_aware("Busy.start", self.start)
        _require_aware("Busy.end", self.end)
        if self.start >= self.end:
            raise ValueError(f"busy interval must end after it starts: {self.start}-{self.end}")


@dataclass(frozen=True, slots=True)
class PractitionerSchedule:
    """What slot computation needs to know about one practitioner.

    ``practitioner`` is any hashable key (a slug or primary key) that is copied onto each
    :class:`Slot`; ``busy`` holds their appointments (with buffers) and personal time off.
    """

    practitioner: Hashable
    working: Sequence[WorkingPeriod]
    busy: Sequence[Busy] = ()

    def __post_init__(self) -> None:
        # Tuples keep the frozen schedule really immutable even if the caller passed lists.
        object.__setattr__(self, "working", tuple(self.working))
        object.__setattr__(self, "busy", tuple(self.busy))


class Slot(NamedTuple):
    """A bookable appointment: aware UTC ``start`` and ``end`` (end excludes the buffer).

    A named tuple rather than a frozen dataclass: a month of ten diaries makes thousands, and
    a tuple is built several times faster than a frozen dataclass sets its fields.
    """

    start: datetime
    end: datetime
    practitioner: Hashable


class _BusyTimeline:
    """One practitioner's busy time, merged into disjoint sorted intervals for bisection."""

    __slots__ = ("_ends", "_starts")

    def __init__(self, intervals: Iterable[tuple[datetime, datetime]]) -> None:
        starts: list[datetime] = []
        ends: list[datetime] = []
        for start, end in sorted(intervals):
            if ends and start <= ends[-1]:
                # Overlapping or touching: extend the previous interval instead of adding one,
                # so that the intervals stay disjoint and `ends` stays sorted.
                ends[-1] = max(ends[-1], end)
            else:
                starts.append(start)
                ends.append(end)
        self._starts = starts
        self._ends = ends

    def free_starts(self, starts: Sequence[datetime], reach: timedelta) -> list[datetime]:
        """Return those of the sorted ``starts`` whose ``[start, start + reach)`` is free."""
        if not starts:
            return []
        # Intervals that end by the first start, or begin at or after the last start's reach,
        # cannot block anything.
        first = bisect.bisect_right(self._ends, starts[0])
        last = bisect.bisect_left(self._starts, starts[-1] + reach)
        free: list[datetime] = []
        cursor = 0  # Index of the first start not yet kept or rejected.
        for busy_start, busy_end in zip(
            self._starts[first:last], self._ends[first:last], strict=True
        ):
            # [busy_start, busy_end) blocks exactly the starts with
            # busy_start - reach < start < busy_end: one run of the sorted list, so two
            # bisections find it instead of a test per start.
            blocked_from = bisect.bisect_right(starts, busy_start - reach, cursor)
            blocked_to = bisect.bisect_left(starts, busy_end, blocked_from)
            free.extend(starts[cursor:blocked_from])
            cursor = blocked_to
        free.extend(starts[cursor:])
        return free


def _as_utc_intervals(busy: Iterable[Busy]) -> list[tuple[datetime, datetime]]:
    # Datetimes that share a tzinfo compare without offset look-ups, which keeps sorting and
    # bisection fast; UTC is also the zone every Slot is reported in.
    return [(interval.start.astimezone(UTC), interval.end.astimezone(UTC)) for interval in busy]


def _clock_reaches(wall: datetime) -> datetime:
    """Return the first UTC instant at which the clock of ``wall.tzinfo`` shows ``wall`` or later.

    For most wall times that is simply the instant they denote. A time that happens twice gives
    its first occurrence. A time the clocks skip gives the instant they jump forward: a period
    "until 01:30" on the spring-forward night ends at 01:00 GMT, when 01:30 stops being ahead.
    """
    tz = wall.tzinfo
    # fold=0 is the first occurrence of a repeated time and, for a skipped time, the instant
    # read with the offset from before the jump, which lies after the jump.
    instant = wall.replace(fold=0).astimezone(UTC)
    if instant.astimezone(tz) == wall:  # Same tzinfo, so this compares wall-clock readings.
        return instant
    # Skipped: the jump lies between the reading with the later offset (fold=1, before the
    # jump) and `instant`. Zone transitions fall on whole seconds, so bisect over seconds.
    before_jump = wall.replace(fold=1).astimezone(UTC)
    seconds = range(int((instant - before_jump) / _ONE_SECOND) + 1)
    jump = bisect.bisect_left(
        seconds, True, key=lambda s: (before_jump + s * _ONE_SECOND).astimezone(tz) >= wall
    )
    return before_jump + jump * _ONE_SECOND


def _steady_offset(day: date, tz: ZoneInfo) -> timedelta | None:
    """The clinic's UTC offset throughout ``day``, or None if its clocks change that day.

    On a steady day any wall-clock time is one subtraction away from UTC, which spares two zone
    conversions per candidate slot on all but two days a year.
    """
    midnight = datetime.combine(day, time(0), tzinfo=tz)
    next_midnight = datetime.combine(day + _ONE_DAY, time(0), tzinfo=tz)
    midnight_utc = midnight.astimezone(UTC)
    next_midnight_utc = next_midnight.astimezone(UTC)
    # A clock change during the day would make it longer or shorter than 24 hours, or make one
    # of its midnights not exist (the round trip fails). Two changes that cancel out cannot
    # hide in one day: no tz database zone changes its clocks twice within two days.
    if (
        midnight_utc.astimezone(tz) == midnight
        and next_midnight_utc.astimezone(tz) == next_midnight
        and next_midnight_utc - midnight_utc == _ONE_DAY
    ):
        return midnight.utcoffset()
    return None


def _steady_grid(period: WorkingPeriod, duration: timedelta, step: timedelta) -> list[timedelta]:
    """Offsets from ``period``'s start of the slots that fit in it on a day without clock change.

    Every steady day repeats the same grid, so it is worked out once per period.
    """
    length = datetime.combine(date.min, period.end, tzinfo=UTC) - datetime.combine(
        date.min, period.start, tzinfo=UTC
    )
    if duration > length:
        return []
    count = (length - duration) // step + 1
    # Adding steps is several times cheaper than multiplying a timedelta for each offset.
    return list(accumulate(repeat(step, count - 1), initial=timedelta(0)))


def _starts_across_clock_change(
    *, day: date, period: WorkingPeriod, duration: timedelta, step: timedelta, tz: ZoneInfo
) -> list[datetime]:
    """UTC starts of the slots that fit in ``period`` on a ``day`` when the clocks change."""
    wall = datetime.combine(day, period.start, tzinfo=tz)
    end_wall = datetime.combine(day, period.end, tzinfo=tz)
    latest_end = _clock_reaches(end_wall)
    starts: list[datetime] = []
    # Adding a timedelta to an aware datetime moves its wall-clock reading, which is the
    # stepping the timetable uses, and datetimes sharing `tz` compare by wall-clock reading.
    while wall < end_wall:
        # fold=0 (the default) reads a repeated time as its first occurrence, so the repeated
        # hour is offered once. The round trip tells a skipped wall time (it comes back an hour
        # later) from a real one; skipped times are passed over before the fit check, because
        # their fold=0 instant lies after the next real start's.
        start = wall.astimezone(UTC)
        if start.astimezone(tz) == wall:
            if start + duration > latest_end:
                break  # Real starts only grow from here.
            starts.append(start)
        wall += step
    return starts


def _practitioner_slots(
    *,
    schedule: PractitionerSchedule,
    days: Sequence[tuple[date, timedelta | None]],
    duration: timedelta,
    buffer_after: timedelta,
    step: timedelta,
    not_before: datetime,
    not_after: datetime,
    tz: ZoneInfo,
    clinic_busy: Sequence[tuple[datetime, datetime]],
) -> list[Slot]:
    """Free slots of one practitioner, sorted by start, without duplicates."""
    periods_by_weekday: list[list[WorkingPeriod]] = [[] for _ in range(7)]
    for period in sorted(schedule.working, key=attrgetter("start")):
        periods_by_weekday[period.weekday].append(period)

    steady_grids = {period: _steady_grid(period, duration, step) for period in schedule.working}

    starts: list[datetime] = []
    for day, steady_offset in days:
        for period in periods_by_weekday[day.weekday()]:
            if steady_offset is None:
                starts.extend(
                    _starts_across_clock_change(
                        day=day, period=period, duration=duration, step=step, tz=tz
                    )
                )
            else:
                first = datetime.combine(day, period.start, tzinfo=UTC) - steady_offset
                starts.extend([first + offset for offset in steady_grids[period]])

    # Periods that do not overlap yield their starts in order. Overlapping ones (a data-entry
    # slip) would offer some starts twice and interleave their grids.
    overlapping = any(
        later.start < earlier.end
        for periods in periods_by_weekday
        for earlier, later in pairwise(periods)
    )
    if overlapping:
        starts = sorted(set(starts))

    starts = starts[bisect.bisect_left(starts, not_before) : bisect.bisect_right(starts, not_after)]
    timeline = _BusyTimeline([*_as_utc_intervals(schedule.busy), *clinic_busy])
    practitioner = schedule.practitioner
    return [
        # Positional arguments: this is the hottest line, and keywords cost a third more here.
        Slot(start, start + duration, practitioner)
        for start in timeline.free_starts(starts, duration + buffer_after)
    ]


def slots_free_between(
    *,
    schedules: Iterable[PractitionerSchedule],
    first_day: date,
    last_day: date,
    duration: timedelta,
    buffer_after: timedelta,
    step: timedelta,
    not_before: datetime,
    not_after: datetime,
    tz: ZoneInfo,
    clinic_busy: Sequence[Busy] = (),
) -> list[Slot]:
    """List every free slot on the clinic's local days ``first_day`` to ``last_day`` inclusive.

    A slot lasts ``duration`` and starts on a ``step`` grid anchored at the start of a working
    period; it, plus ``buffer_after``, must miss the practitioner's ``busy`` intervals and the
    clinic-wide ``clinic_busy`` ones (closures, training days). Starts must fall within
    ``not_before`` and ``not_after``, inclusive: pass ``now + minimum notice`` and ``now +
    horizon``. See the module docstring for how clock changes are handled.

    Returns slots with aware UTC datetimes, sorted by start; slots starting together keep the
    order of ``schedules``, so pass them in the order patients should see practitioners.
    """
    if duration <= timedelta(0):
        raise ValueError(f"duration must be positive, got {duration}")
    if step <= timedelta(0):
        raise ValueError(f"step must be positive, got {step}")
    if buffer_after < timedelta(0):
        raise ValueError(f"buffer_after must not be negative, got {buffer_after}")
    _require_aware("not_before", not_before)
    _require_aware("not_after", not_after)

    # A local day before the one containing `not_before` (or after the one containing
    # `not_after`) cannot hold an acceptable start, so skip it without laying its grid.
    first_day = max(first_day, not_before.astimezone(tz).date())
    last_day = min(last_day, not_after.astimezone(tz).date())
    if first_day > last_day:
        return []
    days = [
        (day, _steady_offset(day, tz))
        for day in (
            first_day + index * _ONE_DAY for index in range((last_day - first_day).days + 1)
        )
    ]

    clinic_intervals = _as_utc_intervals(clinic_busy)
    not_before_utc = not_before.astimezone(UTC)
    not_after_utc = not_after.astimezone(UTC)
    slots: list[Slot] = []
    for schedule in schedules:
        slots.extend(
            _practitioner_slots(
                schedule=schedule,
                days=days,
                duration=duration,
                buffer_after=buffer_after,
                step=step,
                not_before=not_before_utc,
                not_after=not_after_utc,
                tz=tz,
                clinic_busy=clinic_intervals,
            )
        )
    # The sort is stable, so slots at the same start stay in the order of `schedules`. Each
    # practitioner's slots are already sorted, which makes this a cheap merge of runs.
    slots.sort(key=attrgetter("start"))
    return slots


def slot_is_free(
    *,
    schedule: PractitionerSchedule,
    start: datetime,
    duration: timedelta,
    buffer_after: timedelta,
    step: timedelta,
    not_before: datetime,
    not_after: datetime,
    tz: ZoneInfo,
    clinic_busy: Sequence[Busy] = (),
) -> bool:
    """Whether ``start`` is a slot :func:`slots_free_between` would offer this practitioner.

    The booking service calls this, inside the transaction that writes the appointment, to
    re-check the start a patient picked: it must still be on the grid, in working hours, free,
    and within notice and horizon. ``start`` may be in any zone; the day looked at is its date on
    the clinic's clock, which is not its UTC date just after midnight in summer.
    """
    _require_aware("start", start)
    day = start.astimezone(tz).date()
    offered = slots_free_between(
        schedules=[schedule],
        first_day=day,
        last_day=day,
        duration=duration,
        buffer_after=buffer_after,
        step=step,
        not_before=not_before,
        not_after=not_after,
        tz=tz,
        clinic_busy=clinic_busy,
    )
    wanted = start.astimezone(UTC)
    return any(slot.start == wanted for slot in offered)
