"""Staff may book and move outside the online rules after confirming; patients may not."""

from datetime import UTC, datetime, timedelta

import pytest

from bookings.models import Appointment, AppointmentStatusChange
from bookings.services import (
    BookingPolicy,
    OverrideNeeded,
    Patient,
    SlotTaken,
    SlotUnavailable,
    appointment_book,
    appointment_move,
    time_off_add,
)
from tests.bookings.conftest import NOW

STAFF = Appointment.BookedVia.STAFF
WEB = Appointment.BookedVia.WEB
WEDNESDAY = datetime(2027, 1, 6, tzinfo=UTC)  # GMT: UTC is the clinic's clock in January
CALLER = Patient(name="Walk In", email="", phone="07700 900999")


def book(clinic, start, *, policy=BookingPolicy.ONLINE, via=STAFF, practitioner=None):
    return appointment_book(
        service=clinic.follow_up,
        practitioner=practitioner or clinic.tom,
        start=start,
        patient=CALLER if via == STAFF else Patient("Web", "web@example.com", "07700 900111"),
        booked_via=via,
        policy=policy,
    )


@pytest.mark.parametrize(
    ("start", "why"),
    [
        (NOW + timedelta(hours=3, minutes=10), "grid"),  # 10:10, off the 15-minute grid
        (NOW + timedelta(hours=1), "notice"),  # 08:00 today: inside the two hours' notice
        (NOW + timedelta(days=84, hours=3), "horizon"),  # a 12-week review
        (WEDNESDAY + timedelta(hours=18), "hours"),  # 18:00, after work
    ],
)
def test_patients_online_rules_are_unchanged(clinic, start, why):
    with pytest.raises(SlotUnavailable):
        book(clinic, start, via=WEB)
    assert not Appointment.objects.exists()


def test_a_staff_policy_is_refused_for_a_patients_booking(clinic):
    with pytest.raises(ValueError):
        book(clinic, WEDNESDAY + timedelta(hours=10), via=WEB, policy=BookingPolicy.STAFF)


def test_staff_book_any_start_minute_inside_working_hours_without_a_warning(clinic):
    appointment = book(
        clinic, WEDNESDAY + timedelta(hours=9, minutes=10), policy=BookingPolicy.STAFF
    )
    assert appointment.start == WEDNESDAY + timedelta(hours=9, minutes=10)
    assert appointment.patient_email == ""


@pytest.mark.parametrize(
    ("start", "warning"),
    [
        (NOW + timedelta(hours=1, minutes=30), "shorter notice"),  # a walk-in in 90 minutes
        (NOW - timedelta(hours=1), "in the past"),
        (NOW + timedelta(days=84, hours=3), "further ahead"),
        (WEDNESDAY + timedelta(hours=18), "outside Tom Wheeler's working hours"),
    ],
)
def test_staff_outside_the_rules_are_warned_then_book_once_confirmed(clinic, start, warning):
    with pytest.raises(OverrideNeeded) as caught:
        book(clinic, start, policy=BookingPolicy.STAFF)
    assert any(warning in text for text in caught.value.warnings)
    assert not Appointment.objects.exists()
    appointment = book(clinic, start, policy=BookingPolicy.STAFF_CONFIRMED)
    assert appointment.start == start


def test_staff_are_warned_about_time_off_and_closures(clinic, staff_user):
    start = WEDNESDAY + timedelta(hours=10)
    time_off_add(
        practitioner=clinic.tom,
        start=start - timedelta(hours=1),
        end=start + timedelta(hours=2),
        reason="Training",
    )
    with pytest.raises(OverrideNeeded) as caught:
        book(clinic, start, policy=BookingPolicy.STAFF)
    assert caught.value.warnings == ["Tom Wheeler has time off then (Training)."]
    assert book(clinic, start, policy=BookingPolicy.STAFF_CONFIRMED).practitioner == clinic.tom


def test_never_over_another_appointment_whatever_the_policy(clinic):
    start = WEDNESDAY + timedelta(hours=18)
    book(clinic, start, policy=BookingPolicy.STAFF_CONFIRMED)
    for policy in (BookingPolicy.STAFF, BookingPolicy.STAFF_CONFIRMED):
        with pytest.raises(SlotTaken):
            book(clinic, start + timedelta(minutes=10), policy=policy)
    assert Appointment.objects.count() == 1


def test_the_database_refuses_an_overlap_the_check_missed(clinic, monkeypatch):
    start = WEDNESDAY + timedelta(hours=18)
    book(clinic, start, policy=BookingPolicy.STAFF_CONFIRMED)
    monkeypatch.setattr("bookings.services.booking.appointment_overlaps", lambda **kw: False)
    with pytest.raises(SlotTaken):
        book(clinic, start, policy=BookingPolicy.STAFF_CONFIRMED)
    assert Appointment.objects.count() == 1


def test_staff_move_outside_the_rules_after_confirming(clinic, staff_user):
    appointment = book(clinic, WEDNESDAY + timedelta(hours=10), policy=BookingPolicy.STAFF)
    evening = WEDNESDAY + timedelta(days=1, hours=19)
    move = {
        "appointment": appointment,
        "start": evening,
        "source": AppointmentStatusChange.Source.STAFF,
        "actor": staff_user,
    }
    with pytest.raises(SlotUnavailable):
        appointment_move(**move)  # the online rules by default
    with pytest.raises(OverrideNeeded):
        appointment_move(**move, policy=BookingPolicy.STAFF)
    appointment_move(**move, policy=BookingPolicy.STAFF_CONFIRMED)
    appointment.refresh_from_db()
    assert appointment.start == evening


def test_a_patient_cannot_move_with_a_staff_policy(clinic):
    appointment = book(clinic, WEDNESDAY + timedelta(hours=10), policy=BookingPolicy.STAFF)
    with pytest.raises(ValueError):
        appointment_move(
            appointment=appointment,
            start=WEDNESDAY + timedelta(hours=19),
            source=AppointmentStatusChange.Source.PATIENT,
            policy=BookingPolicy.STAFF_CONFIRMED,
        )
