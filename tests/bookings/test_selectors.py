"""The selector around the pure slot function: right inputs, fixed number of queries."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bookings.models import Appointment
from bookings.selectors import slot_days_available, slot_list_available
from bookings.services import discount_code_check

from .factories import AppointmentFactory, PractitionerFactory, TimeOffFactory

MONDAY = date(2027, 1, 4)


def starts(slots, practitioner=None):
    return [s.start for s in slots if practitioner is None or s.practitioner == practitioner]


def test_first_slot_respects_minimum_notice_and_lunch(clinic):
    slots = slot_list_available(service=clinic.initial, first_day=MONDAY, practitioner=clinic.tom)
    got = starts(slots)
    assert got[0] == datetime(2027, 1, 4, 9, 0, tzinfo=UTC)  # now 07:00 + 2 hours
    assert datetime(2027, 1, 4, 12, 15, tzinfo=UTC) in got  # ends 13:00
    assert datetime(2027, 1, 4, 12, 30, tzinfo=UTC) not in got  # would run into lunch
    assert got[-1] == datetime(2027, 1, 4, 16, 15, tzinfo=UTC)
    assert all(s.practitioner == clinic.tom for s in slots)


def test_appointments_with_buffers_and_time_off_are_busy(clinic):
    clinic.follow_up.buffer_after_minutes = 15
    clinic.follow_up.save()
    AppointmentFactory(
        practitioner=clinic.tom,
        service=clinic.follow_up,
        start=datetime(2027, 1, 4, 10, 0, tzinfo=UTC),
    )  # held 10:00-10:45
    AppointmentFactory(
        practitioner=clinic.tom,
        service=clinic.follow_up,
        start=datetime(2027, 1, 4, 14, 0, tzinfo=UTC),
        status=Appointment.Status.CANCELLED_BY_CLINIC,
    )
    TimeOffFactory(
        practitioner=clinic.tom,
        start=datetime(2027, 1, 4, 15, 0, tzinfo=UTC),
        end=datetime(2027, 1, 4, 17, 0, tzinfo=UTC),
    )
    got = starts(
        slot_list_available(service=clinic.initial, first_day=MONDAY, practitioner=clinic.tom)
    )
    assert datetime(2027, 1, 4, 9, 15, tzinfo=UTC) in got  # ends exactly at 10:00
    assert datetime(2027, 1, 4, 9, 30, tzinfo=UTC) not in got
    assert datetime(2027, 1, 4, 10, 30, tzinfo=UTC) not in got  # the buffer
    assert datetime(2027, 1, 4, 10, 45, tzinfo=UTC) in got
    assert datetime(2027, 1, 4, 14, 0, tzinfo=UTC) in got  # cancelled frees its time
    assert datetime(2027, 1, 4, 14, 15, tzinfo=UTC) in got  # ends 15:00
    assert not [s for s in got if s >= datetime(2027, 1, 4, 14, 30, tzinfo=UTC)]


def test_clinic_closure_empties_the_day_for_everyone(clinic):
    TimeOffFactory(
        practitioner=None,
        start=datetime(2027, 1, 5, 0, 0, tzinfo=UTC),
        end=datetime(2027, 1, 6, 0, 0, tzinfo=UTC),
    )
    slots = slot_list_available(
        service=clinic.initial, first_day=MONDAY, last_day=MONDAY + timedelta(days=2)
    )
    days = slot_days_available(slots=slots)
    assert sorted(days) == [MONDAY, MONDAY + timedelta(days=2)]


def test_any_practitioner_lists_each_and_grouping_keeps_one_per_time(clinic):
    slots = slot_list_available(service=clinic.initial, first_day=MONDAY)
    nine = [s for s in slots if s.start == datetime(2027, 1, 4, 9, 0, tzinfo=UTC)]
    assert [s.practitioner for s in nine] == [clinic.amira, clinic.tom]
    grouped = slot_days_available(slots=slots)
    assert len(grouped[MONDAY]) == len({s.start for s in slots})


def test_saturday_only_for_the_practitioner_who_works_it(clinic):
    saturday = date(2027, 1, 9)
    slots = slot_list_available(service=clinic.initial, first_day=saturday)
    assert slots and {s.practitioner for s in slots} == {clinic.amira}


def test_clock_changes_keep_wall_clock_hours_and_offer_no_time_twice(clinic):
    """A Sunday worker across both 2027 changes (28 March forward, 31 October back)."""
    from zoneinfo import ZoneInfo

    import time_machine

    london = ZoneInfo("Europe/London")
    sunday = PractitionerFactory(
        slug="sunday-worker",
        services=[clinic.follow_up],
        hours=[(5, time(9), time(12)), (6, time(0, 30), time(3)), (6, time(9), time(12))],
    )
    for now, saturday in [
        (datetime(2027, 3, 20, 0, 0, tzinfo=UTC), date(2027, 3, 27)),
        (datetime(2027, 10, 23, 0, 0, tzinfo=UTC), date(2027, 10, 30)),
    ]:
        with time_machine.travel(now, tick=False):
            slots = slot_list_available(
                service=clinic.follow_up,
                first_day=saturday,
                last_day=saturday + timedelta(days=1),
                practitioner=sunday,
            )
        local = [s.start.astimezone(london) for s in slots]
        by_day = {day: [t for t in local if t.date() == day] for day in {t.date() for t in local}}
        # 09:00 on the clock both before and after the change.
        assert min(t for t in by_day[saturday] if t.hour >= 9).strftime("%H:%M") == "09:00"
        sunday_times = by_day[saturday + timedelta(days=1)]
        assert min(t for t in sunday_times if t.hour >= 9).strftime("%H:%M") == "09:00"
        wall = [t.strftime("%H:%M") for t in sunday_times]
        assert len(wall) == len(set(wall)), "a wall-clock time offered twice"
        # No start at a time that does not exist, and every start round-trips.
        assert all(t.astimezone(UTC).astimezone(london) == t for t in sunday_times)
        assert not [t for t in sunday_times if saturday.month == 3 and t.hour == 1]


def test_horizon_limits_the_last_day(clinic, settings):
    settings.BOOKING_HORIZON_DAYS = 3
    slots = slot_list_available(
        service=clinic.initial, first_day=MONDAY, last_day=MONDAY + timedelta(days=30)
    )
    assert max(s.start for s in slots) <= datetime(2027, 1, 7, 7, 0, tzinfo=UTC)


def test_no_practitioners_no_slots(clinic):
    clinic.amira.services.clear()
    clinic.tom.services.clear()
    assert slot_list_available(service=clinic.initial, first_day=MONDAY) == []


@pytest.mark.parametrize(("practitioners", "days"), [(1, 1), (2, 31), (10, 31)])
def test_query_count_does_not_grow_with_practitioners_or_days(
    clinic, django_assert_num_queries, practitioners, days
):
    for n in range(practitioners - 2):
        PractitionerFactory(services=[clinic.initial], slug=f"extra-{n}")
    for practitioner in [clinic.amira, clinic.tom]:
        for day in range(0, days, 3):
            AppointmentFactory(
                practitioner=practitioner,
                service=clinic.initial,
                start=datetime.combine(MONDAY + timedelta(days=day), time(11), tzinfo=UTC),
            )
    # practitioners, their working hours, busy time (appointments and time off in one union),
    # staff-added closures
    with django_assert_num_queries(4):
        slots = slot_list_available(
            service=clinic.initial,
            first_day=MONDAY,
            last_day=MONDAY + timedelta(days=days - 1),
        )
    assert slots


def test_discount_check_is_case_insensitive_and_trims(clinic):
    assert discount_code_check(code="  save15 ", service=clinic.initial) == clinic.save15
