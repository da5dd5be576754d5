"""Moving an appointment: staff moves, illegal moves, and the audit log."""

from datetime import UTC, datetime, timedelta

import pytest

from bookings.models import Appointment, AppointmentStatusChange
from bookings.services import appointment_move
from tests.bookings.conftest import NOW
from tests.bookings.factories import AppointmentFactory

WEDNESDAY_10 = datetime(2027, 1, 6, 10, 0, tzinfo=UTC)
THURSDAY_11 = datetime(2027, 1, 7, 11, 0, tzinfo=UTC)


def test_staff_may_move_onto_part_of_the_appointments_own_time(clinic, staff_user):
    appointment = AppointmentFactory(
        practitioner=clinic.tom, service=clinic.initial, start=WEDNESDAY_10
    )
    appointment_move(
        appointment=appointment,
        start=WEDNESDAY_10 + timedelta(minutes=15),
        source=AppointmentStatusChange.Source.STAFF,
        actor=staff_user,
    )
    appointment.refresh_from_db()
    assert appointment.start == WEDNESDAY_10 + timedelta(minutes=15)
    change = appointment.status_changes.get()
    assert change.changed_by == staff_user and change.note.startswith("Moved from Wednesday")


def test_staff_may_move_to_another_practitioner(clinic, staff_user):
    appointment = AppointmentFactory(
        practitioner=clinic.tom, service=clinic.initial, start=WEDNESDAY_10
    )
    appointment_move(
        appointment=appointment,
        start=WEDNESDAY_10,
        practitioner=clinic.amira,
        source=AppointmentStatusChange.Source.STAFF,
    )
    appointment.refresh_from_db()
    assert appointment.practitioner == clinic.amira


def test_a_cancelled_appointment_cannot_be_moved(clinic):
    appointment = AppointmentFactory(
        practitioner=clinic.tom,
        service=clinic.initial,
        start=WEDNESDAY_10,
        status=Appointment.Status.CANCELLED_BY_CLINIC,
    )
    from bookings.services import AppointmentStatusError

    with pytest.raises(AppointmentStatusError):
        appointment_move(
            appointment=appointment, start=THURSDAY_11, source=AppointmentStatusChange.Source.STAFF
        )


def test_now_is_the_frozen_clinic_morning():
    assert NOW.hour == 7


def test_a_move_is_in_the_audit_log(clinic):
    from auditlog.models import LogEntry

    appointment = AppointmentFactory(
        practitioner=clinic.tom, service=clinic.initial, start=WEDNESDAY_10
    )
    appointment_move(
        appointment=appointment, start=THURSDAY_11, source=AppointmentStatusChange.Source.STAFF
    )
    entry = LogEntry.objects.get_for_object(appointment).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.changes["start"][1].startswith("2027-01-07 11:00")
