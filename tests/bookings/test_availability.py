"""Unit tests for the pure free-slot computation in ``bookings.availability``.

No database: schedules, busy time and the service's shape are plain values. Dates are chosen
so that winter tests read the same in London and UTC, and the clock-change tests use 2026's
Sundays: clocks go forward at 01:00 GMT on 29 March and back at 01:00 GMT on 25 October.
"""

from __future__ import annotations

import time as host_clock
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookings.availability import (
    Busy,
    PractitionerSchedule,
    Slot,
    WorkingPeriod,
    _steady_midnight,
    _week_plan,
    slot_is_free,
    slots_free_between,
)

LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def _cold_caches():
    """Each test works out everything afresh: the core caches pure results (a week's plan, a
    day's midnight), which would otherwise let one test ride on another's work, and let a
    mutation of what is cached go unnoticed."""
    _week_plan.cache_clear()
    _steady_midnight.cache_clear()


MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)

MONDAY = date(2026, 2, 2)  # In winter, so London wall-clock time is UTC.
TUESDAY = MONDAY + timedelta(days=1)
SATURDAY = MONDAY + timedelta(days=5)
SPRING_FORWARD = date(2026, 3, 29)  # A Sunday: 01:00-02:00 does not happen.
FALL_BACK = date(2026, 10, 25)  # A Sunday: 01:00-02:00 happens twice.
SUMMER_SUNDAY = date(2026, 6, 7)

FAR_PAST = datetime(2000, 1, 1, tzinfo=UTC)
FAR_FUTURE = datetime(2100, 1, 1, tzinfo=UTC)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """An aware London wall-clock time (the first occurrence, if it happens twice)."""
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def utc(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def weekly(weekday: int, *hours: tuple[str, str]) -> list[WorkingPeriod]:
    """Working periods on one weekday from ("09:00", "13:00")-style pairs."""
    return [
        WorkingPeriod(weekday=weekday, start=time.fromisoformat(start), end=time.fromisoformat(end))
        for start, end in hours
    ]


def schedule(
    *working: WorkingPeriod, busy: Sequence[Busy] = (), practitioner: str = "alex"
) -> PractitionerSchedule:
    return PractitionerSchedule(practitioner=practitioner, working=working, busy=busy)


def free_slots(
    *schedules: PractitionerSchedule,
    first_day: date = MONDAY,
    last_day: date | None = None,
    duration: timedelta = 60 * MINUTE,
    buffer_after: timedelta = timedelta(0),
    step: timedelta | None = None,
    not_before: datetime = FAR_PAST,
    not_after: datetime = FAR_FUTURE,
    clinic_busy: Sequence[Busy] = (),
) -> list[Slot]:
    """Call ``slots_free_between`` with one-day, step-equals-duration defaults."""
    return slots_free_between(
        schedules=schedules,
        first_day=first_day,
        last_day=first_day if last_day is None else last_day,
        duration=duration,
        buffer_after=buffer_after,
        step=duration if step is None else step,
        not_before=not_before,
        not_after=not_after,
        tz=LONDON,
        clinic_busy=clinic_busy,
    )


def local_times(slots: Sequence[Slot]) -> list[str]:
    """Slot starts as the clinic's clock shows them, e.g. "09:30"."""
    return [slot.start.astimezone(LONDON).strftime("%H:%M") for slot in slots]


# Plain working hours.


def test_working_hours_are_filled_with_slots_that_end_by_closing() -> None:
    slots = free_slots(schedule(*weekly(MONDAY.weekday(), ("09:00", "12:00"))))

    assert slots == [
        Slot(start=utc(MONDAY, 9), end=utc(MONDAY, 10), practitioner="alex"),
        Slot(start=utc(MONDAY, 10), end=utc(MONDAY, 11), practitioner="alex"),
        Slot(start=utc(MONDAY, 11), end=utc(MONDAY, 12), practitioner="alex"),
    ]
    assert all(slot.start.tzinfo is UTC and slot.end.tzinfo is UTC for slot in slots)


def test_a_slot_that_would_overrun_the_period_is_not_offered() -> None:
    slots = free_slots(
        schedule(*weekly(MONDAY.weekday(), ("09:00", "11:30"))),
        duration=60 * MINUTE,
        step=30 * MINUTE,
    )

    assert local_times(slots) == ["09:00", "09:30", "10:00", "10:30"]


def test_a_lunch_break_splits_the_day_into_two_periods() -> None:
    # Given afternoon first, to show the order of periods does not matter.
    working = weekly(MONDAY.weekday(), ("14:00", "17:00"), ("09:00", "13:00"))

    slots = free_slots(schedule(*working))

    assert local_times(slots) == ["09:00", "10:00", "11:00", "12:00", "14:00", "15:00", "16:00"]


def test_a_day_without_working_hours_has_no_slots() -> None:
    working = weekly(MONDAY.weekday(), ("09:00", "10:00"))

    assert free_slots(schedule(*working), first_day=SATURDAY) == []
    assert free_slots(schedule(), first_day=MONDAY) == []


def test_a_range_of_days_offers_only_the_working_ones() -> None:
    working = [
        *weekly(MONDAY.weekday(), ("09:00", "10:00")),
        *weekly(SATURDAY.weekday(), ("10:00", "11:00")),
    ]

    slots = free_slots(schedule(*working), first_day=MONDAY, last_day=MONDAY + timedelta(days=7))

    assert [slot.start for slot in slots] == [
        utc(MONDAY, 9),
        utc(SATURDAY, 10),
        utc(MONDAY + timedelta(days=7), 9),
    ]


def test_overlapping_working_periods_do_not_offer_a_start_twice() -> None:
    working = weekly(MONDAY.weekday(), ("09:00", "11:00"), ("10:00", "12:00"), ("09:30", "10:30"))

    slots = free_slots(schedule(*working), duration=30 * MINUTE)

    assert local_times(slots) == ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30"]


# Step alignment.


def test_starts_step_from_the_start_of_each_period() -> None:
    working = weekly(MONDAY.weekday(), ("09:10", "10:30"), ("14:05", "15:00"))

    slots = free_slots(schedule(*working), duration=30 * MINUTE, step=20 * MINUTE)

    assert local_times(slots) == ["09:10", "09:30", "09:50", "14:05", "14:25"]


def test_a_step_longer_than_the_duration_leaves_gaps() -> None:
    slots = free_slots(
        schedule(*weekly(MONDAY.weekday(), ("09:00", "12:00"))),
        duration=30 * MINUTE,
        step=90 * MINUTE,
    )

    assert local_times(slots) == ["09:00", "10:30"]


# Busy time: time off, existing appointments, buffers.


def test_a_practitioners_time_off_removes_only_their_slots() -> None:
    working = weekly(MONDAY.weekday(), ("09:00", "12:00"))
    dentist = Busy(start=utc(MONDAY, 10), end=utc(MONDAY, 11))

    slots = free_slots(
        schedule(*working, busy=[dentist], practitioner="alex"),
        schedule(*working, practitioner="sam"),
    )

    assert [
        (local, slot.practitioner) for local, slot in zip(local_times(slots), slots, strict=True)
    ] == [
        ("09:00", "alex"),
        ("09:00", "sam"),
        ("10:00", "sam"),
        ("11:00", "alex"),
        ("11:00", "sam"),
    ]


def test_a_clinic_closure_removes_everyones_slots() -> None:
    working = weekly(MONDAY.weekday(), ("09:00", "12:00"))
    staff_training = Busy(start=utc(MONDAY, 9, 30), end=utc(MONDAY, 10, 30))

    slots = free_slots(
        schedule(*working, practitioner="alex"),
        schedule(*working, practitioner="sam"),
        clinic_busy=[staff_training],
    )

    assert [
        (local, slot.practitioner) for local, slot in zip(local_times(slots), slots, strict=True)
    ] == [
        ("11:00", "alex"),
        ("11:00", "sam"),
    ]


def test_an_appointment_blocks_starts_overlapping_it_and_its_buffer() -> None:
    # The caller extends an appointment by its own service's buffer: 10:00-11:00 plus 15 minutes.
    appointment = Busy(start=utc(MONDAY, 10), end=utc(MONDAY, 11, 15))

    slots = free_slots(
        schedule(*weekly(MONDAY.weekday(), ("09:00", "12:00")), busy=[appointment]),
        duration=30 * MINUTE,
        step=15 * MINUTE,
    )

    assert local_times(slots) == ["09:00", "09:15", "09:30", "11:15", "11:30"]


def test_the_booked_services_buffer_must_be_free_too() -> None:
    appointment = Busy(start=utc(MONDAY, 11), end=utc(MONDAY, 12))

    slots = free_slots(
        schedule(*weekly(MONDAY.weekday(), ("09:00", "12:00")), busy=[appointment]),
        duration=60 * MINUTE,
        buffer_after=15 * MINUTE,
        step=15 * MINUTE,
    )

    # 09:45-10:45 plus its buffer ends exactly as the appointment starts; 10:00 would overlap.
    assert local_times(slots) == ["09:00", "09:15", "09:30", "09:45"]


def test_the_buffer_may_run_past_closing_but_not_into_busy_time() -> None:
    working = weekly(MONDAY.weekday(), ("16:00", "17:00"))

    after_closing = free_slots(schedule(*working), buffer_after=15 * MINUTE)
    before_a_deep_clean = free_slots(
        schedule(*working),
        buffer_after=15 * MINUTE,
        clinic_busy=[Busy(start=utc(MONDAY, 17, 10), end=utc(MONDAY, 18))],
    )

    assert local_times(after_closing) == ["16:00"]
    assert before_a_deep_clean == []


def test_busy_time_may_be_given_in_any_zone() -> None:
    new_york = ZoneInfo("America/New_York")
    # 05:00-06:00 in New York is 10:00-11:00 in London in February.
    busy = Busy(
        start=datetime(2026, 2, 2, 5, tzinfo=new_york), end=datetime(2026, 2, 2, 6, tzinfo=new_york)
    )

    slots = free_slots(schedule(*weekly(MONDAY.weekday(), ("09:00", "12:00")), busy=[busy]))

    assert local_times(slots) == ["09:00", "11:00"]


# Minimum notice and horizon.


def test_minimum_notice_hides_earlier_starts_and_is_inclusive() -> None:
    working = weekly(MONDAY.weekday(), ("09:00", "12:00"))

    assert local_times(free_slots(schedule(*working), not_before=utc(MONDAY, 9, 1))) == [
        "10:00",
        "11:00",
    ]
    assert local_times(free_slots(schedule(*working), not_before=utc(MONDAY, 10))) == [
        "10:00",
        "11:00",
    ]


def test_the_horizon_hides_later_starts_and_is_inclusive() -> None:
    working = weekly(MONDAY.weekday(), ("09:00", "12:00"))

    assert local_times(free_slots(schedule(*working), not_after=utc(MONDAY, 10))) == [
        "09:00",
        "10:00",
    ]
    assert local_times(free_slots(schedule(*working), not_after=utc(MONDAY, 9, 59))) == ["09:00"]


def test_notice_and_horizon_trim_a_range_of_days() -> None:
    working = [*weekly(MONDAY.weekday(), ("09:00", "11:00")), *weekly(1, ("09:00", "11:00"))]

    slots = free_slots(
        schedule(*working),
        first_day=MONDAY - timedelta(days=7),
        last_day=MONDAY + timedelta(days=7),
        not_before=utc(MONDAY, 10),
        not_after=utc(TUESDAY, 9),
    )

    assert [slot.start for slot in slots] == [utc(MONDAY, 10), utc(TUESDAY, 9)]


# Clock changes, with practitioners who work Sundays.


@pytest.mark.parametrize(
    ("saturday", "sunday", "first_start_saturday", "first_start_sunday"),
    [
        pytest.param(
            SPRING_FORWARD - timedelta(days=1),
            SPRING_FORWARD,
            time(9),  # GMT
            time(8),  # BST
            id="spring-forward",
        ),
        pytest.param(
            FALL_BACK - timedelta(days=1),
            FALL_BACK,
            time(8),  # BST
            time(9),  # GMT
            id="fall-back",
        ),
    ],
)
def test_nine_oclock_is_nine_on_the_clinics_clock_either_side_of_a_change(
    saturday: date, sunday: date, first_start_saturday: time, first_start_sunday: time
) -> None:
    working = [
        *weekly(saturday.weekday(), ("09:00", "17:00")),
        *weekly(sunday.weekday(), ("09:00", "17:00")),
    ]

    slots = free_slots(schedule(*working), first_day=saturday, last_day=sunday)

    by_day = {
        day: [s for s in slots if s.start.astimezone(LONDON).date() == day]
        for day in (saturday, sunday)
    }
    assert by_day[saturday][0].start == datetime.combine(saturday, first_start_saturday, tzinfo=UTC)
    assert by_day[sunday][0].start == datetime.combine(sunday, first_start_sunday, tzinfo=UTC)
    assert (
        local_times(by_day[saturday])
        == local_times(by_day[sunday])
        == [f"{hour:02}:00" for hour in range(9, 17)]
    )


def test_no_slot_is_offered_in_the_hour_skipped_in_spring() -> None:
    working = weekly(SPRING_FORWARD.weekday(), ("00:00", "03:00"))

    slots = free_slots(schedule(*working), first_day=SPRING_FORWARD, duration=30 * MINUTE)

    assert local_times(slots) == ["00:00", "00:30", "02:00", "02:30"]
    assert [slot.start for slot in slots] == [
        utc(SPRING_FORWARD, 0),
        utc(SPRING_FORWARD, 0, 30),
        utc(SPRING_FORWARD, 1),  # 02:00 BST
        utc(SPRING_FORWARD, 1, 30),
    ]


def test_a_slot_across_spring_forward_lasts_its_real_duration() -> None:
    working = weekly(SPRING_FORWARD.weekday(), ("00:00", "03:00"))

    slots = free_slots(
        schedule(*working), first_day=SPRING_FORWARD, duration=45 * MINUTE, step=30 * MINUTE
    )

    # 00:30 GMT plus 45 minutes is 02:15 BST on the clock. 02:00 BST is still offered although
    # the skipped 01:30 before it would not fit: 02:30 BST would end at 03:15 BST.
    assert local_times(slots) == ["00:00", "00:30", "02:00"]
    assert all(slot.end - slot.start == 45 * MINUTE for slot in slots)
    assert slots[1].end.astimezone(LONDON) == at(SPRING_FORWARD, 2, 15)


def test_the_hour_repeated_in_autumn_is_offered_once() -> None:
    working = weekly(FALL_BACK.weekday(), ("00:00", "03:00"))

    slots = free_slots(schedule(*working), first_day=FALL_BACK, duration=30 * MINUTE)

    assert local_times(slots) == ["00:00", "00:30", "01:00", "01:30", "02:00", "02:30"]
    saturday = FALL_BACK - timedelta(days=1)
    assert [slot.start for slot in slots] == [
        utc(saturday, 23),  # 00:00 BST
        utc(saturday, 23, 30),
        utc(FALL_BACK, 0),  # 01:00 BST, the first of the two
        utc(FALL_BACK, 0, 30),
        utc(FALL_BACK, 2),  # 02:00 GMT
        utc(FALL_BACK, 2, 30),
    ]


def test_a_slot_across_fall_back_lasts_its_real_duration() -> None:
    working = weekly(FALL_BACK.weekday(), ("00:00", "03:00"))

    slots = free_slots(
        schedule(*working), first_day=FALL_BACK, duration=90 * MINUTE, step=30 * MINUTE
    )

    # The period is four real hours long; 02:00 GMT plus 90 minutes would pass 03:00.
    assert local_times(slots) == ["00:00", "00:30", "01:00", "01:30"]
    assert slots[-1].end == utc(FALL_BACK, 2)  # 01:30 BST + 90 minutes is 02:00 GMT.


def test_busy_time_in_the_repeated_hour_blocks_only_its_own_occurrence() -> None:
    working = weekly(FALL_BACK.weekday(), ("00:00", "03:00"))
    # 01:00-02:00 GMT, the second time the clock shows 01:00-02:00.
    second_pass = Busy(start=utc(FALL_BACK, 1), end=utc(FALL_BACK, 2))
    first_pass = Busy(start=utc(FALL_BACK, 0), end=utc(FALL_BACK, 1))

    not_blocked = free_slots(
        schedule(*working, busy=[second_pass]), first_day=FALL_BACK, duration=30 * MINUTE
    )
    blocked = free_slots(
        schedule(*working, busy=[first_pass]), first_day=FALL_BACK, duration=30 * MINUTE
    )

    assert local_times(not_blocked) == ["00:00", "00:30", "01:00", "01:30", "02:00", "02:30"]
    assert local_times(blocked) == ["00:00", "00:30", "02:00", "02:30"]


def test_a_period_ending_in_the_skipped_hour_ends_when_the_clocks_jump() -> None:
    working = weekly(SPRING_FORWARD.weekday(), ("00:00", "01:30"))

    thirty_minutes = free_slots(schedule(*working), first_day=SPRING_FORWARD, duration=30 * MINUTE)
    an_hour = free_slots(
        schedule(*working), first_day=SPRING_FORWARD, duration=HOUR, step=30 * MINUTE
    )

    # The clock first shows 01:30 or later at 01:00 GMT, when it jumps to 02:00 BST.
    assert [slot.end for slot in thirty_minutes] == [
        utc(SPRING_FORWARD, 0, 30),
        utc(SPRING_FORWARD, 1),
    ]
    assert local_times(an_hour) == ["00:00"]


def test_a_period_starting_in_the_skipped_hour_starts_when_the_clocks_jump() -> None:
    working = weekly(SPRING_FORWARD.weekday(), ("01:30", "03:00"))

    slots = free_slots(schedule(*working), first_day=SPRING_FORWARD, duration=30 * MINUTE)

    assert local_times(slots) == ["02:00", "02:30"]


def test_a_period_ending_in_the_repeated_hour_ends_at_its_first_occurrence() -> None:
    working = weekly(FALL_BACK.weekday(), ("00:00", "01:30"))

    slots = free_slots(schedule(*working), first_day=FALL_BACK, duration=30 * MINUTE)

    assert local_times(slots) == ["00:00", "00:30", "01:00"]
    assert slots[-1].end == utc(FALL_BACK, 0, 30)  # 01:30 BST


# Several practitioners.


def test_slots_are_sorted_by_start_then_by_the_order_of_schedules() -> None:
    sam = schedule(*weekly(MONDAY.weekday(), ("09:30", "11:30")), practitioner="sam")
    alex = schedule(*weekly(MONDAY.weekday(), ("09:00", "11:00")), practitioner="alex")
    kim = schedule(*weekly(MONDAY.weekday(), ("09:00", "10:00")), practitioner="kim")

    slots = free_slots(sam, alex, kim, duration=30 * MINUTE, step=30 * MINUTE)

    assert [
        (local, slot.practitioner) for local, slot in zip(local_times(slots), slots, strict=True)
    ] == [
        ("09:00", "alex"),
        ("09:00", "kim"),
        ("09:30", "sam"),
        ("09:30", "alex"),
        ("09:30", "kim"),
        ("10:00", "sam"),
        ("10:00", "alex"),
        ("10:30", "sam"),
        ("10:30", "alex"),
        ("11:00", "sam"),
    ]


# Re-checking a chosen start before booking.


def test_slot_is_free_accepts_an_offered_start_and_rejects_others() -> None:
    alex = schedule(
        *weekly(MONDAY.weekday(), ("09:00", "12:00")),
        busy=[Busy(start=utc(MONDAY, 10), end=utc(MONDAY, 11))],
    )

    def is_free(start: datetime) -> bool:
        return slot_is_free(
            schedule=alex,
            start=start,
            duration=HOUR,
            buffer_after=timedelta(0),
            step=HOUR,
            not_before=utc(MONDAY, 9, 30),
            not_after=FAR_FUTURE,
            tz=LONDON,
        )

    assert is_free(utc(MONDAY, 11))
    assert not is_free(utc(MONDAY, 10))  # busy
    assert not is_free(utc(MONDAY, 11, 30))  # off the grid
    assert not is_free(utc(MONDAY, 9))  # too soon
    assert not is_free(utc(TUESDAY, 11))  # not a working day


def test_slot_is_free_looks_at_the_local_day_of_the_start() -> None:
    night_owl = schedule(*weekly(SUMMER_SUNDAY.weekday(), ("00:00", "03:00")))

    # 00:30 BST on Sunday is 23:30 UTC on Saturday, a day the practitioner does not work.
    assert slot_is_free(
        schedule=night_owl,
        start=utc(SUMMER_SUNDAY - timedelta(days=1), 23, 30),
        duration=30 * MINUTE,
        buffer_after=timedelta(0),
        step=30 * MINUTE,
        not_before=FAR_PAST,
        not_after=FAR_FUTURE,
        tz=LONDON,
    )


# Invalid input is refused rather than quietly misread.


def test_naive_datetimes_are_refused() -> None:
    naive = at(MONDAY, 9).replace(tzinfo=None)

    with pytest.raises(ValueError, match="aware"):
        Busy(start=naive, end=utc(MONDAY, 10))
    with pytest.raises(ValueError, match="aware"):
        free_slots(schedule(), not_before=naive)


@pytest.mark.parametrize(
    ("weekday", "start", "end"),
    [(7, time(9), time(10)), (0, time(10), time(9)), (0, time(9), time(9))],
)
def test_impossible_working_periods_are_refused(weekday: int, start: time, end: time) -> None:
    with pytest.raises(ValueError, match=r"weekday|end after"):
        WorkingPeriod(weekday=weekday, start=start, end=end)


def test_empty_busy_intervals_are_refused() -> None:
    with pytest.raises(ValueError, match="end after"):
        Busy(start=utc(MONDAY, 9), end=utc(MONDAY, 9))


@pytest.mark.parametrize(
    "shape",
    [{"duration": timedelta(0)}, {"step": -MINUTE}, {"buffer_after": -MINUTE}],
    ids=["no duration", "negative step", "negative buffer"],
)
def test_impossible_service_shapes_are_refused(shape: dict[str, timedelta]) -> None:
    with pytest.raises(ValueError, match="must"):
        free_slots(schedule(*weekly(MONDAY.weekday(), ("09:00", "10:00"))), **shape)


# Properties over generated schedules, around both clock changes.

# Days near the clock changes are over-represented: that is where mistakes hide.
first_days = st.one_of(
    st.sampled_from(
        [SPRING_FORWARD - timedelta(days=1), SPRING_FORWARD, FALL_BACK - timedelta(days=1)]
    ),
    st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 20)),
)
five_minutes = st.integers(min_value=1, max_value=24).map(lambda n: n * 5 * MINUTE)


@st.composite
def working_periods(draw: st.DrawFn) -> WorkingPeriod:
    # Sundays and the small hours, when the clocks change, are over-represented too.
    start = 5 * draw(  # minutes after midnight
        st.one_of(st.integers(min_value=0, max_value=36), st.integers(min_value=0, max_value=276))
    )
    end = draw(st.integers(min_value=start + 5, max_value=min(start + 600, 23 * 60 + 55)))
    return WorkingPeriod(
        weekday=draw(st.one_of(st.just(6), st.integers(min_value=0, max_value=6))),
        start=time(start // 60, start % 60),
        end=time(end // 60, end % 60),
    )


@st.composite
def busy_intervals(draw: st.DrawFn, first_day: date, days: int) -> Busy:
    # Whole five minutes from the evening before the first day, in UTC.
    origin = utc(first_day, 0) - 6 * HOUR
    start = origin + draw(st.integers(min_value=0, max_value=(days * 24 + 12) * 12)) * 5 * MINUTE
    length = draw(st.integers(min_value=1, max_value=48)) * 5 * MINUTE
    return Busy(start=start, end=start + length)


@st.composite
def availability_queries(draw: st.DrawFn) -> dict[str, object]:
    first_day = draw(first_days)
    days = draw(st.integers(min_value=1, max_value=3))
    schedules = [
        PractitionerSchedule(
            practitioner=f"p{index}",
            working=draw(st.lists(working_periods(), max_size=4)),
            busy=draw(st.lists(busy_intervals(first_day, days), max_size=6)),
        )
        for index in range(draw(st.integers(min_value=1, max_value=3)))
    ]
    window = st.one_of(
        st.none(), busy_intervals(first_day, days).map(lambda interval: interval.start)
    )
    not_before, not_after = draw(window), draw(window)
    return {
        "schedules": schedules,
        "first_day": first_day,
        "last_day": first_day + (days - 1) * timedelta(days=1),
        "duration": draw(five_minutes),
        "buffer_after": draw(st.sampled_from([timedelta(0), 10 * MINUTE, 15 * MINUTE])),
        "step": draw(five_minutes),
        "not_before": FAR_PAST if not_before is None else not_before,
        "not_after": FAR_FUTURE if not_after is None else not_after,
        "tz": LONDON,
        "clinic_busy": draw(st.lists(busy_intervals(first_day, days), max_size=2)),
    }


def reference_slots(query: dict) -> list[Slot]:
    """The specification, written as plainly as possible: try every grid time, test each rule.

    It finds skipped wall times from the offsets the two folds give (PEP 495), and checks
    that a slot stays in working hours by reading the clock every minute of it: independent of
    the round trips and arithmetic of the code under test.
    """
    tz = query["tz"]
    found: list[tuple[datetime, int, Slot]] = []
    for order, sched in enumerate(query["schedules"]):
        busy = [*sched.busy, *query["clinic_busy"]]
        starts: set[datetime] = set()
        day = query["first_day"]
        while day <= query["last_day"]:
            for period in sched.working:
                if period.weekday != day.weekday():
                    continue
                end_wall = datetime.combine(day, period.end, tzinfo=tz)
                wall = datetime.combine(day, period.start, tzinfo=tz)
                while wall < end_wall:
                    skipped = wall.utcoffset() < wall.replace(fold=1).utcoffset()
                    start = wall.astimezone(UTC)
                    end = start + query["duration"]
                    reach = end + query["buffer_after"]
                    minutes = range(int(query["duration"] / MINUTE))
                    if (
                        not skipped
                        and all((start + m * MINUTE).astimezone(tz) < end_wall for m in minutes)
                        and query["not_before"] <= start <= query["not_after"]
                        and not any(b.start < reach and start < b.end for b in busy)
                    ):
                        starts.add(start)
                    wall += query["step"]
            day += timedelta(days=1)
        found += [(s, order, Slot(s, s + query["duration"], sched.practitioner)) for s in starts]
    return [slot for _, _, slot in sorted(found, key=lambda item: item[:2])]


property_settings = settings(
    max_examples=150,
    deadline=None,  # The first call imports and warms zoneinfo; timing is not the point here.
    database=None,  # Keep no example database in the working tree.
    suppress_health_check=[HealthCheck.too_slow],
)


@property_settings
@given(query=availability_queries())
def test_slots_match_the_plain_reading_of_the_rules(query: dict) -> None:
    assert slots_free_between(**query) == reference_slots(query)


@property_settings
@given(query=availability_queries())
def test_slots_are_free_in_hours_on_the_grid_sorted_and_unique(query: dict) -> None:
    slots = slots_free_between(**query)
    tz = query["tz"]
    order = {sched.practitioner: index for index, sched in enumerate(query["schedules"])}

    keys = [(slot.start, order[slot.practitioner]) for slot in slots]
    assert keys == sorted(set(keys))

    for slot in slots:
        sched = query["schedules"][order[slot.practitioner]]
        assert slot.start.tzinfo is UTC
        assert slot.end - slot.start == query["duration"]
        assert query["not_before"] <= slot.start <= query["not_after"]

        reach = slot.end + query["buffer_after"]
        for busy in [*sched.busy, *query["clinic_busy"]]:
            assert reach <= busy.start or busy.end <= slot.start

        # Within one working period of its local day, on that period's wall-clock grid; the
        # clock at the start and just before the end both read inside the period.
        local_start = slot.start.astimezone(tz)
        local_last_moment = (slot.end - timedelta(microseconds=1)).astimezone(tz)
        day = local_start.date()
        assert local_start.astimezone(UTC) == slot.start
        assert any(
            period.weekday == day.weekday()
            and period.start <= local_start.time()
            and local_last_moment.date() == day
            and local_last_moment.time() < period.end
            and (local_start - datetime.combine(day, period.start, tzinfo=tz)) % query["step"]
            == timedelta(0)
            for period in sched.working
        )


# Nothing depends on the zone of the machine the site runs on (Django sets the process's TZ to
# the clinic's, which would hide a conversion to "local time" instead of the clinic's zone).


@pytest.fixture
def host_in_new_york(monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")
    host_clock.tzset()
    yield
    monkeypatch.undo()
    host_clock.tzset()


def test_slot_is_free_uses_the_clinic_day_whatever_the_host_zone(host_in_new_york) -> None:
    test_slot_is_free_looks_at_the_local_day_of_the_start()


def test_clock_changes_are_the_clinics_whatever_the_host_zone(host_in_new_york) -> None:
    test_no_slot_is_offered_in_the_hour_skipped_in_spring()
    test_a_slot_across_spring_forward_lasts_its_real_duration()
    test_the_hour_repeated_in_autumn_is_offered_once()


def test_slot_is_free_names_the_naive_start() -> None:
    with pytest.raises(ValueError, match=r"^start must be an aware datetime"):
        slot_is_free(
            schedule=schedule(*weekly(MONDAY.weekday(), ("09:00", "12:00"))),
            start=at(MONDAY, 9).replace(tzinfo=None),
            duration=HOUR,
            buffer_after=timedelta(0),
            step=HOUR,
            not_before=FAR_PAST,
            not_after=FAR_FUTURE,
            tz=LONDON,
        )


def test_slot_is_free_respects_clinic_closures() -> None:
    alex = schedule(*weekly(MONDAY.weekday(), ("09:00", "12:00")))

    def is_free(closures: Sequence[Busy]) -> bool:
        return slot_is_free(
            schedule=alex,
            start=utc(MONDAY, 10),
            duration=HOUR,
            buffer_after=timedelta(0),
            step=HOUR,
            not_before=FAR_PAST,
            not_after=FAR_FUTURE,
            tz=LONDON,
            clinic_busy=closures,
        )

    assert is_free([])
    assert not is_free([Busy(start=utc(MONDAY, 10, 30), end=utc(MONDAY, 11))])


def test_a_naive_busy_interval_is_refused_by_name() -> None:
    naive = at(MONDAY, 9).replace(tzinfo=None)

    with pytest.raises(ValueError, match=r"^Busy\.start must be an aware datetime"):
        Busy(start=naive, end=utc(MONDAY, 10))
    with pytest.raises(ValueError, match=r"^Busy\.end must be an aware datetime"):
        Busy(start=utc(MONDAY, 9), end=naive)
