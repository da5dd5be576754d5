"""Time off: it refuses to cover booked appointments, or cancels them with a message."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from bookings.models import Appointment, TimeOff
from bookings.services import TimeOffClash, time_off_add, time_off_add_cancelling
from tests.bookings.factories import AppointmentFactory

WEDNESDAY_10 = datetime(2027, 1, 6, 10, 0, tzinfo=UTC)


@pytest.fixture
def booked(clinic):
    return AppointmentFactory(practitioner=clinic.tom, service=clinic.initial, start=WEDNESDAY_10)


def test_time_off_over_a_booking_is_refused_and_nothing_is_stored(clinic, booked):
    with pytest.raises(TimeOffClash) as raised:
        time_off_add(
            practitioner=clinic.tom, start=WEDNESDAY_10, end=WEDNESDAY_10 + timedelta(hours=2)
        )
    assert raised.value.appointments == [booked]
    assert not TimeOff.objects.exists()
    booked.refresh_from_db()
    assert booked.status == Appointment.Status.CONFIRMED


def test_time_off_can_cancel_what_it_covers_with_a_message(
    clinic, booked, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        time_off, cancelled = time_off_add_cancelling(
            practitioner=clinic.tom,
            start=WEDNESDAY_10,
            end=WEDNESDAY_10 + timedelta(hours=2),
            message="Tom is unwell; sorry.",
            actor=staff_user,
        )
    assert cancelled == [booked] and time_off.practitioner == clinic.tom
    booked.refresh_from_db()
    assert booked.status == Appointment.Status.CANCELLED_BY_CLINIC
    change = booked.status_changes.get()
    assert (change.changed_by, change.note) == (staff_user, "Tom is unwell; sorry.")
    assert any("Tom is unwell; sorry." in message.body for message in mail.outbox)


def test_time_off_elsewhere_needs_no_cancelling(clinic, booked):
    time_off = time_off_add(
        practitioner=clinic.amira, start=WEDNESDAY_10, end=WEDNESDAY_10 + timedelta(hours=2)
    )
    assert time_off.practitioner == clinic.amira
