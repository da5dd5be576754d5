"""The pure core honours clinic-wide busy time (closures) when listing and when re-checking.

A mutation run once found that dropping ``clinic_busy`` from ``slot_is_free``'s inner call
passed every test; these fail if it is dropped from either function.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bookings.availability import (
    Busy,
    PractitionerSchedule,
    WorkingPeriod,
    slot_is_free,
    slots_free_between,
)

LONDON = ZoneInfo("Europe/London")
CHRISTMAS = date(2026, 12, 25)  # A Friday
NOW = datetime(2026, 12, 21, 7, 0, tzinfo=UTC)
SCHEDULE = PractitionerSchedule(
    practitioner="tom",
    working=[WorkingPeriod(weekday=day, start=time(9), end=time(17)) for day in range(7)],
)
CLOSED = Busy(
    start=datetime.combine(CHRISTMAS, time(0), tzinfo=LONDON),
    end=datetime.combine(CHRISTMAS + timedelta(days=1), time(0), tzinfo=LONDON),
)
RULES = {
    "duration": timedelta(minutes=45),
    "buffer_after": timedelta(0),
    "step": timedelta(minutes=15),
    "not_before": NOW,
    "not_after": NOW + timedelta(days=60),
    "tz": LONDON,
}


@pytest.mark.parametrize("hour", [9, 12, 16])
def test_slot_is_free_refuses_a_start_inside_a_clinic_closure(hour):
    start = datetime.combine(CHRISTMAS, time(hour), tzinfo=LONDON)
    assert slot_is_free(schedule=SCHEDULE, start=start, **RULES)
    assert not slot_is_free(schedule=SCHEDULE, start=start, clinic_busy=[CLOSED], **RULES)


def test_slot_is_free_refuses_a_slot_running_into_a_clinic_closure():
    afternoon_off = Busy(
        start=datetime.combine(CHRISTMAS, time(12), tzinfo=LONDON),
        end=datetime.combine(CHRISTMAS, time(17), tzinfo=LONDON),
    )
    overlapping = datetime.combine(CHRISTMAS, time(11, 30), tzinfo=LONDON)
    ending_at_noon = datetime.combine(CHRISTMAS, time(11, 15), tzinfo=LONDON)
    assert not slot_is_free(
        schedule=SCHEDULE, start=overlapping, clinic_busy=[afternoon_off], **RULES
    )
    assert slot_is_free(
        schedule=SCHEDULE, start=ending_at_noon, clinic_busy=[afternoon_off], **RULES
    )


def test_a_closed_day_lists_nothing_and_its_neighbours_list_everything():
    slots = slots_free_between(
        schedules=[SCHEDULE],
        first_day=CHRISTMAS - timedelta(days=1),
        last_day=CHRISTMAS + timedelta(days=1),
        clinic_busy=[CLOSED],
        **RULES,
    )
    days = [slot.start.astimezone(LONDON).date() for slot in slots]
    assert CHRISTMAS not in days
    # 09:00 to 16:15 every quarter hour: 30 starts on each open day.
    assert days.count(CHRISTMAS - timedelta(days=1)) == 30
    assert days.count(CHRISTMAS + timedelta(days=1)) == 30


def test_a_closure_blocks_every_practitioner():
    other = PractitionerSchedule(practitioner="amira", working=SCHEDULE.working)
    slots = slots_free_between(
        schedules=[SCHEDULE, other],
        first_day=CHRISTMAS,
        last_day=CHRISTMAS,
        clinic_busy=[CLOSED],
        **RULES,
    )
    assert slots == []
