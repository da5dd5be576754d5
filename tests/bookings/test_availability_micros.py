"""The availability core in microseconds (``free_starts_between``), as the slots API calls it.

Busy intervals come straight from the database as integers, unchecked, so the core must take
them in any order, overlapping, touching or empty, and must not round: a busy interval that ends
one microsecond after a start still blocks it.
"""

from datetime import UTC, date, datetime, time, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from bookings.availability import WorkingPeriod, free_starts_between, from_micros, micros

from .test_availability import (
    LONDON,
    availability_queries,
    property_settings,
    reference_slots,
)

MONDAY = date(2026, 2, 2)  # Winter: London is UTC.
NINE_TO_TWELVE = (WorkingPeriod(weekday=0, start=time(9), end=time(12)),)
HOUR = timedelta(hours=1)


def at(hour: int, minute: int = 0, microsecond: int = 0) -> int:
    return micros(datetime(2026, 2, 2, hour, minute, 0, microsecond, tzinfo=UTC))


def free(*busy: tuple[int, int], clinic: tuple[tuple[int, int], ...] = (), **rules) -> list[int]:
    """Free hour-long starts on MONDAY for one practitioner working 09:00-12:00."""
    found = free_starts_between(
        working=[NINE_TO_TWELVE],
        busy=[list(busy)],
        first_day=MONDAY,
        last_day=MONDAY,
        duration=rules.get("duration", HOUR),
        buffer_after=rules.get("buffer_after", timedelta(0)),
        step=rules.get("step", HOUR),
        not_before=datetime(2000, 1, 1, tzinfo=UTC),
        not_after=datetime(2100, 1, 1, tzinfo=UTC),
        tz=LONDON,
        clinic_busy=clinic,
    )
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
    found = free_starts_between(
        working=[NINE_TO_TWELVE, NINE_TO_TWELVE],
        busy=[[(at(9), at(10))], []],
        first_day=MONDAY,
        last_day=MONDAY,
        duration=HOUR,
        buffer_after=timedelta(0),
        step=HOUR,
        not_before=datetime(2000, 1, 1, tzinfo=UTC),
        not_after=datetime(2100, 1, 1, tzinfo=UTC),
        tz=LONDON,
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
    assert micros(value + timedelta(microseconds=1)) == micros(value) + 1


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
