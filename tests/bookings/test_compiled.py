"""Queries compiled once (``bookings.compiled``): the same rows as the ORM, instants exact to the
microsecond, and never a value frozen that should move."""

import logging
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db.models import F
from django.utils import timezone

from bookings.availability import micros
from bookings.compiled import CompiledQuery, EpochMicros
from bookings.models import Appointment, TimeOff
from bookings.selectors import (
    _busy_time,
    _busy_time_query,
    busy_time_between,
    busy_time_versioned,
)

from .factories import AppointmentFactory, TimeOffFactory

MONDAY = date(2027, 1, 4)


def at(hour: int, minute: int = 0, microsecond: int = 0, day: int = 0) -> datetime:
    return datetime(2027, 1, 4, hour, minute, 0, microsecond, tzinfo=UTC) + timedelta(days=day)


def test_busy_time_is_every_interval_that_holds_time_to_the_microsecond(clinic):
    held = AppointmentFactory(
        practitioner=clinic.tom, service=clinic.initial, start=at(9, 0, 1)
    )  # 09:00:00.000001-09:45:00.000001
    AppointmentFactory(
        practitioner=clinic.tom,
        service=clinic.initial,
        start=at(11),
        status=Appointment.Status.CANCELLED_BY_PATIENT,
    )
    AppointmentFactory(  # Another practitioner's, and one far outside the days asked for.
        practitioner=clinic.amira, service=clinic.initial, start=at(12)
    )
    AppointmentFactory(practitioner=clinic.tom, service=clinic.initial, start=at(12, day=30))
    dentist = TimeOffFactory(practitioner=clinic.tom, start=at(14, 0, 999_999), end=at(15))
    closure = TimeOffFactory(practitioner=None, start=at(0, day=1), end=at(0, day=2))

    busy, clinic_busy = busy_time_between(
        practitioner_ids=[clinic.tom.pk], first_day=MONDAY, last_day=MONDAY
    )

    assert busy == {
        clinic.tom.pk: sorted(
            [
                (micros(held.start), micros(held.blocked_until)),
                (micros(dentist.start), micros(dentist.end)),
            ]
        )
    }
    assert clinic_busy == [(micros(closure.start), micros(closure.end))]
    assert micros(held.start) % 1_000_000 == 1  # Not rounded to the second.


def test_one_appointment_can_be_left_out_for_a_move(clinic):
    moving = AppointmentFactory(practitioner=clinic.tom, service=clinic.initial, start=at(10))
    staying = AppointmentFactory(practitioner=clinic.tom, service=clinic.initial, start=at(12))

    busy, _ = busy_time_between(
        practitioner_ids=[clinic.tom.pk],
        first_day=MONDAY,
        last_day=MONDAY,
        exclude_appointment_id=moving.pk,
    )

    assert busy[clinic.tom.pk] == [(micros(staying.start), micros(staying.blocked_until))]


def test_slot_queries_are_compiled_once_and_rerun(clinic):
    for ids in ([clinic.tom.pk], [clinic.amira.pk, clinic.tom.pk]):
        for day in (MONDAY, MONDAY + timedelta(days=1)):
            busy_time_versioned(practitioner_ids=ids, first_day=day, last_day=day)
    some_day = {"range_start": at(0), "range_end": at(0, day=1), "now": at(0)}

    # One SQL text per number of practitioners, reused whatever the days: nothing in the
    # rules (active(), holding_time_between) froze a value that should move; the present
    # moment (lapsed holds give their time back) is a placeholder too.
    assert _busy_time_query.is_compiled(ids=[1], **some_day)
    assert _busy_time_query.is_compiled(ids=[1, 2], **some_day)
    fresh = CompiledQuery(_busy_time)
    assert not fresh.is_compiled(ids=[1], **some_day)  # Nothing is compiled before a run.
    fresh.rows(ids=[clinic.tom.pk], **some_day)
    assert fresh.is_compiled(ids=[1], **some_day)
    assert not fresh.is_compiled(ids=[1, 2], **some_day)


def _booked_before(*, start):
    # The current time as a value, as a careless rule might pass it: it must not be frozen.
    return Appointment.objects.filter(start__gte=start, created_at__lt=timezone.now()).values_list(
        "reference", flat=True
    )


def test_a_value_that_moves_is_never_frozen_into_the_sql(clinic, caplog):
    query = CompiledQuery(_booked_before)
    early = AppointmentFactory(practitioner=clinic.tom, service=clinic.initial, start=at(10))

    with caplog.at_level(logging.WARNING, logger="bookings.compiled"):
        assert query.rows(start=at(0)) == []  # Made "now", so not yet before now.
    assert "may change between runs" in caplog.text
    assert not query.is_compiled(start=at(0))

    with time_machine.travel(timezone.now() + timedelta(minutes=1), tick=False):
        assert query.rows(start=at(0)) == [(early.reference,)]


@pytest.mark.parametrize(
    "instant",
    [
        datetime(1970, 1, 1, 0, 0, 0, 1, tzinfo=UTC),
        datetime(2027, 1, 4, 9, 0, 0, 499_999, tzinfo=UTC),
        datetime(2027, 1, 4, 9, 0, 0, 500_001, tzinfo=UTC),
        datetime(2060, 6, 30, 23, 59, 59, 999_999, tzinfo=UTC),
        datetime(2099, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
    ],
)
def test_epoch_micros_is_exact_to_the_microsecond(clinic, instant):
    off = TimeOffFactory(practitioner=clinic.tom, start=instant, end=instant + timedelta(hours=1))
    got = TimeOff.objects.filter(pk=off.pk).values_list(EpochMicros("start"), EpochMicros("end"))
    assert got.get() == (micros(instant), micros(instant) + 3_600_000_000)


def test_placeholders_take_values_as_lookups_would(clinic):
    """An aware datetime in any zone, a list of keys of any length, an expression's output."""
    booked = AppointmentFactory(practitioner=clinic.tom, service=clinic.initial, start=at(10))
    query = CompiledQuery(
        lambda *, ids, after: (
            Appointment.objects.filter(practitioner__id__in=ids, start__gt=after)
            .annotate(starts=EpochMicros(F("start")))
            .values_list("starts", flat=True)
        )
    )
    new_york = timezone.get_fixed_timezone(-300)

    assert query.rows(ids=[clinic.tom.pk], after=at(4, 59).astimezone(new_york)) == [
        (micros(booked.start),)
    ]
    assert query.rows(ids=[clinic.amira.pk, clinic.tom.pk], after=at(10)) == []
    assert query.rows(ids=[clinic.amira.pk], after=at(0)) == []
    with pytest.raises(TypeError, match="no placeholder"):
        query.rows(ids=[clinic.tom.pk], after=1.5)


def test_busy_time_of_nobody_is_no_query(clinic, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert busy_time_between(practitioner_ids=[], first_day=MONDAY, last_day=MONDAY) == (
            {},
            [],
        )
