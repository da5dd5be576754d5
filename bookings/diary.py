"""The staff diary's layout: a pure core over plain values, unit-tested without a database.

Given the days, the practitioners, their working hours and what fills their time, it places
each thing on a vertical grid of five-minute rows, one column per day and practitioner. The
selector around it (``bookings.selectors.diary_build``) does the queries and finds free time.
Positions are whole rows so the page can place blocks with classes from
``static/css/admin-diary.css`` (``t-<row>``, ``h-<rows>``): the Content-Security-Policy allows
no inline styles.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from .availability import WorkingPeriod
from .days import local_days_span

#: One grid row per five minutes.
DIARY_ROW_MINUTES = 5
_DAY_MINUTES = 24 * 60
_DEFAULT_HOURS = (9 * 60, 17 * 60)


# The values passed in and out are named tuples, not frozen dataclasses: a week of ten diaries
# holds about 1,700 free times or 840 appointments, and a named tuple is several times cheaper
# to build.


class DiaryBlock(NamedTuple):
    """Something drawn in a diary column: it starts at grid ``row`` and spans ``rows`` rows."""

    row: int
    rows: int
    start: datetime
    end: datetime
    appointment: object | None = None
    label: str = ""


class DiaryAppointment(NamedTuple):
    """What the diary shows of an appointment: plain values, read without building a model
    instance per appointment (most of a busy week's cost when it did)."""

    pk: int
    practitioner_id: int
    start: datetime
    end: datetime
    blocked_until: datetime
    status: str
    patient_name: str
    patient_phone: str
    notes: str
    service_name: str
    status_label: str


@dataclass
class DiaryColumn:
    day: date
    practitioner: object
    is_today: bool
    working: list[DiaryBlock] = field(default_factory=list)
    appointments: list[DiaryBlock] = field(default_factory=list)
    time_off: list[DiaryBlock] = field(default_factory=list)
    free: list[DiaryBlock] = field(default_factory=list)


@dataclass
class Diary:
    days: list[date]
    practitioners: list
    columns: list[DiaryColumn]
    hours: list[tuple[str, int]]
    rows: int
    first_minute: int


class Booked(NamedTuple):
    """An appointment in the diary: ``practitioner`` is the column's key."""

    practitioner: Hashable
    start: datetime
    end: datetime
    appointment: object = None


class Closed(NamedTuple):
    """Time off: one practitioner's (by key) or, with ``practitioner`` ``None``, the clinic's."""

    practitioner: Hashable | None
    start: datetime
    end: datetime
    reason: str = ""

    @property
    def label(self) -> str:
        if self.reason:
            return self.reason
        return "Clinic closed" if self.practitioner is None else "Time off"


class Free(NamedTuple):
    """Bookable free time with a practitioner (by key)."""

    practitioner: Hashable
    start: datetime
    end: datetime


def _minutes(moment: datetime, tz: ZoneInfo) -> int:
    """Minutes since midnight on the clinic's clock (wall clock, so clock-change days line up)."""
    local = moment.astimezone(tz)
    return local.hour * 60 + local.minute


@dataclass(frozen=True)
class Grid:
    """The vertical extent of the diary: whole hours from ``first_minute`` to ``last_minute``."""

    first_minute: int
    last_minute: int
    tz: ZoneInfo
    #: Each day's ``[start, end)``, worked out once per day rather than once per block.
    _spans: dict[date, tuple[datetime, datetime]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @classmethod
    def spanning(
        cls, *, working: Sequence[WorkingPeriod], booked: Sequence[Booked], tz: ZoneInfo
    ) -> Grid:
        """The working day (whole hours), stretched for anything booked outside it."""
        starts = [period.start.hour * 60 + period.start.minute for period in working]
        ends = [period.end.hour * 60 + period.end.minute for period in working]
        for item in booked:
            start = _minutes(item.start, tz)
            starts.append(start)
            ends.append(start + int((item.end - item.start).total_seconds() // 60))
        first = (min(starts, default=_DEFAULT_HOURS[0]) // 60) * 60
        last = min(_DAY_MINUTES, -(-max(ends, default=_DEFAULT_HOURS[1]) // 60) * 60)
        return cls(first_minute=first, last_minute=last, tz=tz)

    @property
    def rows(self) -> int:
        return (self.last_minute - self.first_minute) // DIARY_ROW_MINUTES

    def hours(self) -> list[tuple[str, int]]:
        """Each hour's label and the row it starts on."""
        return [
            (f"{minute // 60:02d}:00", (minute - self.first_minute) // DIARY_ROW_MINUTES)
            for minute in range(self.first_minute, self.last_minute, 60)
        ]

    def block(self, start: datetime, end: datetime, day: date, **extra) -> DiaryBlock | None:
        """The part of ``[start, end)`` on ``day`` inside the grid, or ``None`` if nothing is."""
        span = self._spans.get(day)
        if span is None:
            # In UTC, like the times given: comparing aware datetimes with the same tzinfo
            # needs no UTC offset look-up, and this runs for every block of the week.
            first, last = local_days_span(day, day, tz=self.tz)
            span = self._spans[day] = (first.astimezone(UTC), last.astimezone(UTC))
        day_start, day_end = span
        start, end = max(start, day_start), min(end, day_end)
        if start >= end:
            return None
        top = max(_minutes(start, self.tz), self.first_minute)
        bottom = min(self.last_minute, _DAY_MINUTES if end == day_end else _minutes(end, self.tz))
        if bottom <= top:
            return None
        row = (top - self.first_minute) // DIARY_ROW_MINUTES
        rows = max(1, -(-(bottom - self.first_minute) // DIARY_ROW_MINUTES) - row)
        return DiaryBlock(row=row, rows=rows, start=start, end=end, **extra)


def _append(blocks: list[DiaryBlock], block: DiaryBlock | None) -> None:
    if block is not None:
        blocks.append(block)


def diary_layout(
    *,
    days: list[date],
    practitioners: Sequence,
    working: dict[Hashable, Sequence[WorkingPeriod]],
    booked: Sequence[Booked],
    closed: Sequence[Closed],
    free: Sequence[Free],
    today: date,
    tz: ZoneInfo,
) -> Diary:
    """Columns (one per day and practitioner, keyed by ``pk``) with every block placed.

    A week (more than one day) leaves out the columns of days a practitioner neither works nor
    has a booking.
    """
    grid = Grid.spanning(
        working=[period for periods in working.values() for period in periods],
        booked=booked,
        tz=tz,
    )
    columns = {
        (day, practitioner.pk): _column(
            grid, day, practitioner, working.get(practitioner.pk, ()), is_today=day == today
        )
        for day in days
        for practitioner in practitioners
    }
    _place_booked(columns, grid, booked)
    _place_closed(columns, grid, closed)
    _place_free(columns, grid, free)
    shown = [
        column
        for column in columns.values()
        if len(days) == 1 or column.working or column.appointments
    ]
    return Diary(
        days=days,
        practitioners=list(practitioners),
        columns=shown,
        hours=grid.hours(),
        rows=grid.rows,
        first_minute=grid.first_minute,
    )


def _column(
    grid: Grid, day: date, practitioner, working: Sequence[WorkingPeriod], *, is_today: bool
) -> DiaryColumn:
    column = DiaryColumn(day=day, practitioner=practitioner, is_today=is_today)
    for period in working:
        if period.weekday == day.weekday():
            start = datetime.combine(day, period.start, tzinfo=grid.tz)
            end = datetime.combine(day, period.end, tzinfo=grid.tz)
            _append(column.working, grid.block(start, end, day))
    return column


def _place_free(columns: dict, grid: Grid, free: Sequence[Free]) -> None:
    for cell in free:
        day = cell.start.astimezone(grid.tz).date()
        column = columns.get((day, cell.practitioner))
        if column is not None:
            _append(column.free, grid.block(cell.start, cell.end, day))


def _days_touched(start: datetime, end: datetime, tz: ZoneInfo) -> list[date]:
    """The clinic days from ``start``'s to ``end``'s: usually one, so a week's blocks are placed
    by looking up their own columns, not by trying every day of the week. (Something that ends
    at midnight names the next day too, where :meth:`Grid.block` finds nothing to draw.)"""
    first = start.astimezone(tz).date()
    last = end.astimezone(tz).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _place_booked(columns: dict, grid: Grid, booked: Sequence[Booked]) -> None:
    for item in booked:
        for day in _days_touched(item.start, item.end, grid.tz):
            column = columns.get((day, item.practitioner))
            if column is not None:
                block = grid.block(item.start, item.end, day, appointment=item.appointment)
                _append(column.appointments, block)


def _place_closed(columns: dict, grid: Grid, closed: Sequence[Closed]) -> None:
    for item in closed:
        for (day, key), column in columns.items():
            if item.practitioner in (None, key):
                _append(column.time_off, grid.block(item.start, item.end, day, label=item.label))
