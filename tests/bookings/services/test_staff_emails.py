"""Staff are emailed about what others did, not about what they did themselves."""

import pytest
from auditlog.context import set_actor

from bookings.models import Appointment
from clinic.notifications.models import Notification

from .test_booking import book

pytestmark = pytest.mark.django_db


def _staff_notices(appointment) -> list[Notification]:
    return [n for n in Notification.objects.for_source(appointment) if ":staff" in n.key]


def test_a_patients_own_booking_tells_staff(clinic, patient):
    appointment = book(clinic, patient)
    (notice,) = _staff_notices(appointment)
    assert notice.to == ["reception@example.com"]


def test_a_booking_by_the_staff_member_reading_that_inbox_sends_them_nothing(
    clinic, patient, django_user_model
):
    desk = django_user_model.objects.create_user(
        username="desk", email="Reception@example.com", is_staff=True
    )
    with set_actor(desk):
        appointment = book(clinic, patient, booked_via=Appointment.BookedVia.STAFF)
    assert _staff_notices(appointment) == []
    assert Notification.objects.for_source(appointment).exists()  # the patient's confirmation


def test_a_booking_by_another_staff_member_still_tells_the_desk(clinic, patient, django_user_model):
    manager = django_user_model.objects.create_user(
        username="manager", email="manager@example.com", is_staff=True
    )
    with set_actor(manager):
        appointment = book(clinic, patient, booked_via=Appointment.BookedVia.STAFF)
    (notice,) = _staff_notices(appointment)
    assert notice.to == ["reception@example.com"]
