"""The availability core in microseconds (``free_starts_between``), as the slots API calls it.

Busy intervals come straight from the database as integers, unchecked, so the core must take
them in any order, overlapping, touching or empty, and must not round: a busy interval that ends
one microsecond after a start still blocks it.
"""

import time as host_clock
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bookings.availability import WorkingPeriod, free_starts_between, from_micros, micros

from .test_availability import (  # noqa: F401 (_cold_caches is an autouse fixture)
    LONDON,
    _cold_caches,
    availability_queries,
    property_settings,
    reference_slots,
)

MONDAY = date(2026, 2, 2)  # Winter: London is UTC.
NINE_TO_TWELVE = (WorkingPeriod(weekday=0, start=time(9), end=time(12)),)
HOUR = timedelta(hours=1)
RULES = {
    "first_day": MONDAY,
    "last_day": MONDAY,
    "duration": HOUR,
    "buffer_after": timedelta(0),
    "step": HOUR,
    "not_before": datetime(2000, 1, 1, tzinfo=UTC),
    "not_after": datetime(2100, 1, 1, tzinfo=UTC),
    "tz": LONDON,
}


def find(working, busy=None, **rules) -> list[tuple[int, int]]:
    """``free_starts_between`` for these practitioners' weeks, with RULES unless overridden."""
    return free_starts_between(
        working=working, busy=[[] for _ in working] if busy is None else busy, **{**RULES, **rules}
    )


def at(hour: int, minute: int = 0, microsecond: int = 0) -> int:
    return micros(datetime(2026, 2, 2, hour, minute, 0, microsecond, tzinfo=UTC))


def free(*busy: tuple[int, int], clinic: tuple[tuple[int, int], ...] = (), **rules) -> list[int]:
    """Free hour-long starts on MONDAY for one practitioner working 09:00-12:00."""
    found = find([NINE_TO_TWELVE], [list(busy)], clinic_busy=clinic, **rules)
    assert all(index == 0 for _start, index in found)
    return [start for start, _index in found]


def test_no_busy_time_offers_every_start() -> None:
    assert free() == [at(9), at(10), at(11)]


def test_a_microsecond_of_overlap_blocks_a_start_and_touching_does_not() -> None:
    assert free((at(9), at(10, 0, 1))) == [at(11)]
    assert free((at(9), at(10))) == [at(10), at(11)]
    assert free((at(10, 59, 999_999), at(11, 30))) == [at(9)]
    assert free((at(11), at(11, 30))) == [at(9), at(10)]


def test_empty_and_backwards_intervals_block_nothing() -> None:
    assert free((at(10), at(10)), (at(11, 30), at(11))) == [at(9), at(10), at(11)]


def test_intervals_may_come_in_any_order_overlapping_or_touching() -> None:
    busy = [(at(11, 15), at(11, 45)), (at(9, 10), at(9, 20)), (at(9, 15), at(9, 30))]
    assert free(*busy) == [at(10)]
    assert free((at(9, 30), at(10)), (at(9), at(9, 30))) == [at(10), at(11)]


def test_the_buffer_reaches_into_busy_time_but_not_past_it() -> None:
    assert free((at(11), at(12)), buffer_after=timedelta(minutes=1)) == [at(9)]
    assert free((at(11, 1), at(12)), buffer_after=timedelta(minutes=1)) == [at(9), at(10)]


def test_clinic_busy_time_blocks_every_practitioner() -> None:
    found = find(
        [NINE_TO_TWELVE, NINE_TO_TWELVE],
        [[(at(9), at(10))], []],
        clinic_busy=[(at(11), at(12))],
    )
    # Sorted by start, then by practitioner.
    assert found == [(at(9), 1), (at(10), 0), (at(10), 1)]


@settings(database=None)
@given(
    st.datetimes(
        min_value=datetime(1971, 1, 1),
        max_value=datetime(2200, 1, 1),
        timezones=st.sampled_from([UTC, LONDON, timezone(timedelta(hours=-5, minutes=-30))]),
    )
)
def test_microseconds_round_trip_exactly(value: datetime) -> None:
    # Compared in UTC: a wall time the clocks skip equals nothing in another zone (PEP 495).
    assert from_micros(micros(value)) == value.astimezone(UTC)
    assert from_micros(micros(value)).tzinfo is UTC
    # (Added in UTC: adding to a London time moves its wall clock, which may repeat.)
    assert micros(value.astimezone(UTC) + timedelta(microseconds=1)) == micros(value) + 1


@property_settings
@given(query=availability_queries())
def test_free_starts_match_the_plain_reading_of_the_rules(query: dict) -> None:
    schedules = query["schedules"]
    found = free_starts_between(
        working=[schedule.working for schedule in schedules],
        busy=[
            [(micros(busy.start), micros(busy.end)) for busy in schedule.busy]
            for schedule in schedules
        ],
        first_day=query["first_day"],
        last_day=query["last_day"],
        duration=query["duration"],
        buffer_after=query["buffer_after"],
        step=query["step"],
        not_before=query["not_before"],
        not_after=query["not_after"],
        tz=query["tz"],
        clinic_busy=[(micros(busy.start), micros(busy.end)) for busy in query["clinic_busy"]],
    )
    expected = [
        (micros(slot.start), [s.practitioner for s in schedules].index(slot.practitioner))
        for slot in reference_slots(query)
    ]
    assert found == expected


# Mutation testing found these gaps; each test fails if the rule it names is broken.


def test_an_empty_interval_blocks_nothing_and_does_not_hide_later_ones() -> None:
    # With a 30-minute step, 09:30 lies strictly inside the hour before the empty interval.
    assert free((at(10, 30), at(10, 30)), step=timedelta(minutes=30)) == [
        at(9),
        at(9, 30),
        at(10),
        at(10, 30),
        at(11),
    ]
    assert free((at(9, 45), at(9, 45)), (at(11), at(11, 30))) == [at(9), at(10)]


def test_working_hours_may_start_on_odd_seconds_and_microseconds() -> None:
    odd = (WorkingPeriod(weekday=0, start=time(9, 0, 30, 250), end=time(11)),)
    found = find([odd])
    assert found == [(at(9) + 30_000_250, 0)]


def test_a_working_period_with_a_zone_on_either_end_is_refused() -> None:
    for start, end in [(time(9, tzinfo=UTC), time(10)), (time(9), time(10, tzinfo=UTC))]:
        with pytest.raises(ValueError, match=r"^working period times are wall-clock times"):
            WorkingPeriod(weekday=0, start=start, end=end)


@pytest.mark.parametrize(
    ("shape", "message"),
    [
        ({"duration": timedelta(0)}, "^duration must be positive"),
        ({"step": timedelta(0)}, "^step must be positive"),
        ({"not_before": datetime(2026, 2, 2, 9)}, "^not_before must be an aware datetime"),
        ({"not_after": datetime(2026, 2, 2, 9)}, "^not_after must be an aware datetime"),
    ],
)
def test_each_impossible_argument_is_named(shape: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        find([NINE_TO_TWELVE], **shape)


def test_working_hours_and_busy_time_must_pair_up() -> None:
    with pytest.raises(ValueError, match="zip"):
        find([NINE_TO_TWELVE, NINE_TO_TWELVE], [[]])


@pytest.fixture
def host_zone(monkeypatch):
    """Run with the machine's clock in another zone (Django sets it to the clinic's)."""

    def use(zone: str) -> None:
        monkeypatch.setenv("TZ", zone)
        host_clock.tzset()

    yield use
    monkeypatch.undo()
    host_clock.tzset()


def test_notice_and_horizon_days_are_the_clinics_whatever_the_host_zone(host_zone) -> None:
    evening = (WorkingPeriod(weekday=0, start=time(18), end=time(23)),)
    small_hours = (WorkingPeriod(weekday=1, start=time(0), end=time(3)),)

    def starts(working, not_before, not_after) -> list[int]:
        return [
            start
            for start, _ in find(
                [working],
                last_day=MONDAY + timedelta(days=1),
                not_before=not_before,
                not_after=not_after,
            )
        ]

    # 20:00 on Monday in London is already Tuesday in Tokyo: Monday evening must stay.
    host_zone("Asia/Tokyo")
    assert starts(evening, datetime(2026, 2, 2, 20, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
    # 02:00 on Tuesday in London is still Monday in New York: Tuesday's small hours must stay.
    host_zone("America/New_York")
    assert starts(
        small_hours, datetime(2000, 1, 1, tzinfo=UTC), datetime(2026, 2, 3, 2, tzinfo=UTC)
    ) == [micros(datetime(2026, 2, 3, hour, tzinfo=UTC)) for hour in (0, 1, 2)]


def test_a_period_ending_as_the_clocks_jump_keeps_its_last_slot() -> None:
    # 29 March 2026: at 01:00 GMT the clocks go to 02:00, so "until 01:00" ends at 01:00 GMT.
    spring = date(2026, 3, 29)
    found = find(
        [(WorkingPeriod(weekday=6, start=time(0), end=time(1)),)],
        first_day=spring,
        last_day=spring,
        duration=timedelta(minutes=30),
        step=timedelta(minutes=30),
    )
    assert [start for start, _ in found] == [
        micros(datetime(2026, 3, 29, 0, 0, tzinfo=UTC)),
        micros(datetime(2026, 3, 29, 0, 30, tzinfo=UTC)),
    ]


def test_a_slot_must_end_by_the_first_time_the_clock_shows_the_periods_end() -> None:
    # 25 October 2026: 01:00-02:00 happens twice. "Until 01:30" means the first 01:30 (00:30
    # GMT), so an hour from 01:00 BST, which ends at 01:00 GMT on the second pass, is too long.
    autumn = date(2026, 10, 25)
    found = find(
        [(WorkingPeriod(weekday=6, start=time(0), end=time(1, 30)),)],
        first_day=autumn,
        last_day=autumn,
        step=timedelta(minutes=30),
    )
    assert [from_micros(start).astimezone(LONDON).strftime("%H:%M") for start, _ in found] == [
        "00:00",
        "00:30",
    ]
