"""The diary's layout core: plain values in, rows and columns out. No database."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bookings.availability import WorkingPeriod
from bookings.diary import DIARY_ROW_MINUTES, Booked, Closed, Free, Grid, diary_layout

LONDON = ZoneInfo("Europe/London")
MONDAY = date(2027, 1, 4)
TUESDAY = date(2027, 1, 5)
SPRING_FORWARD = date(2027, 3, 28)  # a Sunday: 01:00 becomes 02:00


@dataclass(frozen=True)
class Person:
    pk: int
    name: str


TOM, AMIRA = Person(1, "Tom"), Person(2, "Amira")
NINE_TO_FIVE = [WorkingPeriod(weekday=0, start=time(9), end=time(17))]


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON).astimezone(UTC)


def layout(**overrides):
    values = {
        "days": [MONDAY],
        "practitioners": [TOM, AMIRA],
        "working": {TOM.pk: NINE_TO_FIVE, AMIRA.pk: NINE_TO_FIVE},
        "booked": [],
        "closed": [],
        "free": [],
        "today": MONDAY,
        "tz": LONDON,
    }
    return diary_layout(**{**values, **overrides})


def test_the_grid_spans_the_working_day_in_whole_hours():
    diary = layout()
    assert diary.first_minute == 9 * 60
    assert diary.rows == 8 * 60 // DIARY_ROW_MINUTES
    assert diary.hours[0] == ("09:00", 0) and diary.hours[-1] == ("16:00", 7 * 12)


def test_an_appointment_outside_the_hours_stretches_the_grid():
    early = Booked(TOM.pk, at(MONDAY, 7, 30), at(MONDAY, 8, 15), appointment="early")
    diary = layout(booked=[early])
    assert diary.first_minute == 7 * 60
    (block,) = diary.columns[0].appointments
    assert (block.row, block.rows, block.appointment) == (6, 9, "early")


def test_blocks_land_in_their_practitioners_column_on_the_right_rows():
    diary = layout(
        booked=[Booked(AMIRA.pk, at(MONDAY, 10), at(MONDAY, 10, 45), appointment="a")],
        free=[Free(TOM.pk, at(MONDAY, 9), at(MONDAY, 9, 15))],
    )
    tom, amira = diary.columns
    assert tom.practitioner is TOM and amira.practitioner is AMIRA
    assert not tom.appointments and [b.row for b in amira.appointments] == [12]
    assert amira.appointments[0].rows == 9
    assert [(b.row, b.rows) for b in tom.free] == [(0, 3)]
    assert tom.is_today and [(b.row, b.rows) for b in tom.working] == [(0, 96)]


def test_clinic_closures_cover_every_column_and_personal_time_off_one():
    diary = layout(
        closed=[
            Closed(None, at(MONDAY, 12), at(MONDAY, 13)),
            Closed(TOM.pk, at(MONDAY, 15), at(MONDAY, 16), reason="Dentist"),
        ]
    )
    tom, amira = diary.columns
    assert [b.label for b in tom.time_off] == ["Clinic closed", "Dentist"]
    assert [b.label for b in amira.time_off] == ["Clinic closed"]


def test_a_week_leaves_out_days_nobody_works_but_keeps_bookings():
    tuesday_booking = Booked(TOM.pk, at(TUESDAY, 10), at(TUESDAY, 11), appointment="t")
    diary = layout(days=[MONDAY, TUESDAY], booked=[tuesday_booking])
    assert [(c.day, c.practitioner.name) for c in diary.columns] == [
        (MONDAY, "Tom"),
        (MONDAY, "Amira"),
        (TUESDAY, "Tom"),
    ]


def test_a_block_is_cut_at_midnight_and_at_the_grid_edges():
    grid = Grid(first_minute=9 * 60, last_minute=17 * 60, tz=LONDON)
    assert grid.block(at(MONDAY, 16), at(TUESDAY, 10), MONDAY).rows == 12
    assert grid.block(at(MONDAY, 16), at(TUESDAY, 10), TUESDAY).rows == 12
    assert grid.block(at(MONDAY, 6), at(MONDAY, 8), MONDAY) is None


def test_rows_follow_the_wall_clock_on_the_day_the_clocks_go_forward():
    grid = Grid(first_minute=0, last_minute=24 * 60, tz=LONDON)
    block = grid.block(at(SPRING_FORWARD, 3), at(SPRING_FORWARD, 4), SPRING_FORWARD)
    assert (block.row, block.rows) == (3 * 60 // DIARY_ROW_MINUTES, 12)
