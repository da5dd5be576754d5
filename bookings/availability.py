"""Free appointment slots, computed from plain values.

This is the pure core of booking: given each practitioner's weekly working hours, the time they
are already busy and the shape of the service being booked, it lists the starts a patient may
choose. It never touches the database. The selector around it loads working hours, appointments
and time off, turns them into the values below and calls :func:`slots_free_between`; the booking
service re-checks a patient's choice with :func:`slot_is_free` before it writes.

Inside, an instant is a whole number of microseconds since the Unix epoch (:func:`micros`):
exact, and far cheaper to add, compare and sort than aware datetimes. The slots API stays in
those numbers from the database to its JSON through :func:`free_starts_between`;
:func:`slots_free_between` is the same computation with datetimes in and :class:`Slot` values
out.

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
from functools import lru_cache
from itertools import pairwise, repeat
from operator import attrgetter, itemgetter
from typing import NamedTuple
from zoneinfo import ZoneInfo

__all__ = [
    "Busy",
    "PractitionerSchedule",
    "Slot",
    "WorkingPeriod",
    "free_starts_between",
    "from_micros",
    "micros",
    "slot_is_free",
    "slots_free_between",
    "slots_from_starts",
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


# --- Time as whole microseconds -------------------------------------------------------------
#
# Inside the core an instant is an int: microseconds since the Unix epoch, UTC. Datetimes keep
# their microseconds, so nothing is rounded, and ints are several times cheaper to add, compare,
# sort and bisect than aware datetimes (which look up their offset to compare). A month of ten
# diaries lays thousands of candidate starts and the slots API turns them straight into text.

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORDINAL = _EPOCH.toordinal()
_MICROSECOND = timedelta(microseconds=1)
_DAY = 86_400_000_000


def micros(value: datetime) -> int:
    """Microseconds from the Unix epoch to the aware ``value``: how the core counts time."""
    return (value - _EPOCH) // _MICROSECOND


def from_micros(value: int) -> datetime:
    """The aware UTC datetime ``value`` microseconds after the Unix epoch."""
    return _EPOCH + timedelta(microseconds=value)


def _time_micros(value: time) -> int:
    return ((value.hour * 60 + value.minute) * 60 + value.second) * 1_000_000 + value.microsecond


class _BusyTimeline:
    """One practitioner's busy time, merged into disjoint sorted intervals for bisection."""

    __slots__ = ("_ends", "_starts")

    def __init__(self, intervals: Iterable[tuple[int, int]]) -> None:
        starts: list[int] = []
        ends: list[int] = []
        # Overlapping or touching intervals are merged, so that the intervals stay disjoint
        # and `ends` stays sorted. The interval being merged lives in two locals: a diary of
        # back-to-back appointments merges most of its rows.
        current_start = current_end = None
        for start, end in sorted(intervals):
            if end <= start:
                continue  # Empty: blocks nothing.
            if current_end is not None and start <= current_end:
                if end > current_end:
                    current_end = end
                continue
            if current_end is not None:
                starts.append(current_start)
                ends.append(current_end)
            current_start, current_end = start, end
        if current_end is not None:
            starts.append(current_start)
            ends.append(current_end)
        self._starts = starts
        self._ends = ends

    def free_starts(self, starts: Sequence[int], reach: int) -> list[int]:
        """Return those of the sorted ``starts`` whose ``[start, start + reach)`` is free."""
        if not starts:
            return []
        # Intervals that end by the first start, or begin at or after the last start's reach,
        # cannot block anything.
        first = bisect.bisect_right(self._ends, starts[0])
        last = bisect.bisect_left(self._starts, starts[-1] + reach)
        free: list[int] = []
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


@lru_cache(maxsize=4096)
def _steady_midnight(day: date, tz: ZoneInfo) -> int | None:
    """When ``day`` begins on the clinic's clock (microseconds since the epoch), or None if its
    clocks change that day.

    On a steady day any wall-clock time is one addition away from UTC, which spares two zone
    conversions per candidate slot on all but two days a year. A pure function of its
    arguments, so it is cached: every request asks about the same few weeks.
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
        return micros(midnight_utc)
    return None


def _starts_across_clock_change(
    *, day: date, period: WorkingPeriod, duration: timedelta, step: timedelta, tz: ZoneInfo
) -> list[int]:
    """Starts of the slots that fit in ``period`` on a ``day`` when the clocks change."""
    wall = datetime.combine(day, period.start, tzinfo=tz)
    end_wall = datetime.combine(day, period.end, tzinfo=tz)
    latest_end = _clock_reaches(end_wall)
    starts: list[int] = []
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
            starts.append(micros(start))
        wall += step
    return starts


class _Request(NamedTuple):
    """What every practitioner's computation shares, in microseconds where it is time."""

    days: list[tuple[date, int | None]]  # Each local day and its steady midnight (or None).
    duration: int
    reach: int  # Duration plus the buffer after it.
    step: int
    not_before: int
    not_after: int
    clinic_busy: list[tuple[int, int]]
    tz: ZoneInfo
    duration_delta: timedelta
    step_delta: timedelta


@lru_cache(maxsize=1024)
def _week_plan(
    working: tuple[WorkingPeriod, ...], duration: int
) -> tuple[tuple[tuple[tuple[WorkingPeriod, int, int], ...], ...], bool]:
    """Each weekday's periods in order, each with its grid on a steady day, and whether any
    two periods of a day overlap.

    On a steady day a period's starts run from ``first`` (microseconds after midnight), every
    ``step``, to before ``stop``: while a slot still ends by the period's end. A practitioner's
    week is the same request after request, so this is cached.
    """
    by_weekday: list[list[tuple[WorkingPeriod, int, int]]] = [[] for _ in range(7)]
    for period in sorted(working, key=attrgetter("start")):
        first = _time_micros(period.start)
        room = _time_micros(period.end) - first - duration
        by_weekday[period.weekday].append((period, first, first + room + 1 if room >= 0 else first))
    overlapping = any(
        later.start < earlier.end
        for periods in by_weekday
        for (earlier, _, _), (later, _, _) in pairwise(periods)
    )
    return tuple(tuple(periods) for periods in by_weekday), overlapping


def _candidate_starts(working: Sequence[WorkingPeriod], request: _Request) -> list[int]:
    """Every grid start of ``working`` that fits its period, sorted, within notice and horizon."""
    by_weekday, overlapping = _week_plan(tuple(working), request.duration)
    step = request.step
    starts: list[int] = []
    for day, midnight in request.days:
        for period, first, stop in by_weekday[day.weekday()]:
            if midnight is None:
                starts += _starts_across_clock_change(
                    day=day,
                    period=period,
                    duration=request.duration_delta,
                    step=request.step_delta,
                    tz=request.tz,
                )
            else:
                starts += range(midnight + first, midnight + stop, step)
    # Periods that do not overlap yield their starts in order. Overlapping ones (a data-entry
    # slip) would offer some starts twice and interleave their grids.
    if overlapping:
        starts = sorted(set(starts))
    return starts[
        bisect.bisect_left(starts, request.not_before) : bisect.bisect_right(
            starts, request.not_after
        )
    ]


def free_starts_between(
    *,
    working: Sequence[Sequence[WorkingPeriod]],
    busy: Sequence[Iterable[tuple[int, int]]],
    first_day: date,
    last_day: date,
    duration: timedelta,
    buffer_after: timedelta,
    step: timedelta,
    not_before: datetime,
    not_after: datetime,
    tz: ZoneInfo,
    clinic_busy: Iterable[tuple[int, int]] = (),
) -> list[tuple[int, int]]:
    """:func:`slots_free_between` in microseconds, for callers that need no datetimes.

    ``working[i]`` and ``busy[i]`` are practitioner ``i``'s working periods and busy intervals;
    intervals, here and in ``clinic_busy``, are ``(start, end)`` pairs of microseconds since the
    Unix epoch (see :func:`micros`), half-open, buffers included; an empty one blocks nothing.
    Returns ``(start, i)`` pairs, sorted by start and then by ``i``: practitioner ``i`` is free
    for the slot ``[start, start + duration)``. The rules are exactly those of
    :func:`slots_free_between`, which is this function plus datetimes.
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
    request = _Request(
        days=[
            (day, _steady_midnight(day, tz))
            for day in (
                first_day + index * _ONE_DAY for index in range((last_day - first_day).days + 1)
            )
        ],
        duration=duration // _MICROSECOND,
        reach=(duration + buffer_after) // _MICROSECOND,
        step=step // _MICROSECOND,
        not_before=micros(not_before),
        not_after=micros(not_after),
        clinic_busy=list(clinic_busy),
        tz=tz,
        duration_delta=duration,
        step_delta=step,
    )
    found: list[tuple[int, int]] = []
    for index, (periods, intervals) in enumerate(zip(working, busy, strict=True)):
        timeline = _BusyTimeline([*intervals, *request.clinic_busy])
        free = timeline.free_starts(_candidate_starts(periods, request), request.reach)
        found += zip(free, repeat(index))
    # By start only: the sort is stable and the pairs went in practitioner by practitioner, so
    # ties keep the practitioners' order. Each run is already sorted, so this is a cheap merge
    # of runs, and integer keys compare several times faster than tuples.
    found.sort(key=itemgetter(0))
    return found


def _as_micros(busy: Iterable[Busy]) -> list[tuple[int, int]]:
    return [(micros(interval.start), micros(interval.end)) for interval in busy]


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
    schedules = list(schedules)
    found = free_starts_between(
        working=[schedule.working for schedule in schedules],
        busy=[_as_micros(schedule.busy) for schedule in schedules],
        first_day=first_day,
        last_day=last_day,
        duration=duration,
        buffer_after=buffer_after,
        step=step,
        not_before=not_before,
        not_after=not_after,
        tz=tz,
        clinic_busy=_as_micros(clinic_busy),
    )
    return slots_from_starts(
        found, duration=duration, practitioners=[schedule.practitioner for schedule in schedules]
    )


def slots_from_starts(
    found: Iterable[tuple[int, int]], *, duration: timedelta, practitioners: Sequence[Hashable]
) -> list[Slot]:
    """:class:`Slot` values from :func:`free_starts_between`'s ``(start, index)`` pairs, each
    naming ``practitioners[index]``."""
    length = duration // _MICROSECOND
    instants: dict[int, datetime] = {}  # Practitioners share starts: one datetime for each.
    slots: list[Slot] = []
    for start, index in found:
        begins = instants.get(start) or instants.setdefault(start, from_micros(start))
        end = start + length
        ends = instants.get(end) or instants.setdefault(end, from_micros(end))
        # Positional arguments: this is the hottest line, and keywords cost a third more here.
        slots.append(Slot(begins, ends, practitioners[index]))
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
