"""The diary's layout core: plain values in, rows and columns out. No database."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
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


SUMMER_MONDAY = date(2027, 7, 5)  # British Summer Time: the clinic's clock is UTC+1


def test_in_summer_blocks_follow_the_clinics_clock_not_utc():
    booked = Booked(TOM.pk, at(SUMMER_MONDAY, 9, 30), at(SUMMER_MONDAY, 10, 15), appointment="a")
    early = Booked(AMIRA.pk, at(SUMMER_MONDAY, 8), at(SUMMER_MONDAY, 8, 30), appointment="e")
    diary = layout(
        days=[SUMMER_MONDAY],
        booked=[booked, early],
        free=[Free(AMIRA.pk, at(SUMMER_MONDAY, 16), at(SUMMER_MONDAY, 16, 15))],
        today=SUMMER_MONDAY,
    )
    assert diary.first_minute == 8 * 60  # 08:00 on the clinic's clock, not 07:00 UTC
    tom, amira = diary.columns
    assert [(b.row, b.rows) for b in tom.appointments] == [(18, 9)]
    assert [(b.row, b.rows) for b in amira.free] == [(96, 3)]


def test_the_grid_rounds_the_working_day_out_to_whole_hours():
    working = [WorkingPeriod(weekday=0, start=time(9, 55), end=time(17, 5))]
    diary = layout(working={TOM.pk: working, AMIRA.pk: working})
    assert (diary.first_minute, diary.rows) == (9 * 60, 9 * 60 // DIARY_ROW_MINUTES)


def test_a_booking_after_hours_stretches_the_grid_down():
    late = Booked(TOM.pk, at(MONDAY, 17), at(MONDAY, 18), appointment="late")
    assert layout(booked=[late]).rows == 9 * 60 // DIARY_ROW_MINUTES


def test_with_no_hours_and_no_bookings_the_grid_is_nine_to_five():
    diary = layout(working={})
    assert (diary.first_minute, diary.rows) == (9 * 60, 8 * 60 // DIARY_ROW_MINUTES)
    # Someone with no hours at all still has a column on a single day.
    assert [(c.practitioner, c.working) for c in diary.columns] == [(TOM, []), (AMIRA, [])]
    assert (diary.days, diary.practitioners) == ([MONDAY], [TOM, AMIRA])


def test_rows_are_whole_numbers_for_the_css_classes():
    diary = layout(
        free=[
            Free(TOM.pk, at(MONDAY, 9, 5), at(MONDAY, 9, 10)),
            Free(TOM.pk, at(MONDAY, 9, 10), at(MONDAY, 9, 25)),
        ]
    )
    assert [f"t-{row}" for _label, row in diary.hours][:2] == ["t-0", "t-12"]
    classes = [(f"t-{cell.row}", f"h-{cell.rows}") for cell in diary.columns[0].free]
    assert classes == [("t-1", "h-1"), ("t-2", "h-3")]  # five minutes: one row


def test_a_booking_a_minute_into_an_hour_stretches_the_grid_to_the_next():
    late = Booked(TOM.pk, at(MONDAY, 16, 1), at(MONDAY, 18, 1), appointment="late")
    assert layout(booked=[late]).rows == 10 * 60 // DIARY_ROW_MINUTES  # 09:00 to 19:00


def test_an_appointment_across_midnight_is_drawn_on_both_days():
    late = Booked(TOM.pk, at(SUMMER_MONDAY, 22), at(SUMMER_MONDAY + timedelta(days=1), 2))
    to_midnight = Booked(AMIRA.pk, at(SUMMER_MONDAY, 23), at(SUMMER_MONDAY + timedelta(days=1), 0))
    all_day = [WorkingPeriod(weekday=3, start=time(0), end=time(23, 55))]  # a Thursday
    diary = layout(
        days=[SUMMER_MONDAY, SUMMER_MONDAY + timedelta(days=1)],
        working={TOM.pk: all_day, AMIRA.pk: all_day},  # the grid: the whole day
        booked=[late, to_midnight],
        today=SUMMER_MONDAY,
    )
    drawn = {
        (c.day, c.practitioner.name): [(b.start, b.end) for b in c.appointments]
        for c in diary.columns
    }
    tuesday = SUMMER_MONDAY + timedelta(days=1)
    assert drawn == {
        (SUMMER_MONDAY, "Tom"): [(at(SUMMER_MONDAY, 22), at(tuesday, 0))],
        (SUMMER_MONDAY, "Amira"): [(at(SUMMER_MONDAY, 23), at(tuesday, 0))],
        (tuesday, "Tom"): [(at(tuesday, 0), at(tuesday, 2))],
    }


def test_a_closure_from_the_next_midnight_leaves_today_open():
    tuesday_closed = Closed(None, at(TUESDAY, 0), at(TUESDAY + timedelta(days=1), 0))
    diary = layout(days=[MONDAY, TUESDAY], closed=[tuesday_closed])
    assert {(c.day, len(c.time_off)) for c in diary.columns} == {(MONDAY, 0)}


def test_time_off_that_ends_where_the_grid_begins_draws_nothing():
    diary = layout(closed=[Closed(TOM.pk, at(MONDAY, 7), at(MONDAY, 9))])
    assert diary.columns[0].time_off == []


NEW_YORK = ZoneInfo("America/New_York")


def test_the_grid_uses_the_time_zone_it_is_given():
    # 21:00 on Monday in New York is 02:00 on Tuesday in London (and in UTC).
    grid = Grid(first_minute=0, last_minute=24 * 60, tz=NEW_YORK)
    start = datetime(2027, 1, 4, 21, tzinfo=NEW_YORK)
    block = grid.block(start, start + timedelta(hours=1), MONDAY)
    assert (block.row, block.rows) == (21 * 60 // DIARY_ROW_MINUTES, 12)


def test_the_layout_uses_the_time_zone_it_is_given():
    def evening(minute: int) -> datetime:
        return datetime(2027, 1, 4, 21, minute, tzinfo=NEW_YORK)

    diary = layout(
        working={},
        booked=[Booked(TOM.pk, evening(0), evening(30), appointment="late")],
        free=[Free(AMIRA.pk, evening(30), evening(45))],
        tz=NEW_YORK,
    )
    assert diary.first_minute == 21 * 60
    tom, amira = diary.columns
    assert [(b.row, b.rows) for b in tom.appointments] == [(0, 6)]
    assert [(b.row, b.rows) for b in amira.free] == [(6, 3)]
