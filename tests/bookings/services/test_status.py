"""Every status change goes through appointment_status_change and its transition table."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from bookings.models import Appointment, AppointmentStatusChange, DiscountRedemption
from bookings.services import (
    STATUS_TRANSITIONS,
    AppointmentStatusError,
    ChangeTooLate,
    appointment_book,
    appointment_cancel,
    appointment_status_change,
)
from clinic.notifications.models import Notification
from tests.bookings.conftest import NOW
from tests.bookings.factories import AppointmentFactory

Status = Appointment.Status
Source = AppointmentStatusChange.Source
ALL = [value for value, _label in Status.choices]
LEGAL = {
    (Status.HELD, Status.CANCELLED_BY_PATIENT),
    (Status.HELD, Status.CANCELLED_BY_CLINIC),
    (Status.CONFIRMED, Status.ARRIVED),
    (Status.ARRIVED, Status.COMPLETED),
    (Status.ARRIVED, Status.NO_SHOW),
    (Status.NO_SHOW, Status.ARRIVED),
    (Status.CONFIRMED, Status.COMPLETED),
    (Status.CONFIRMED, Status.NO_SHOW),
    (Status.CONFIRMED, Status.CANCELLED_BY_PATIENT),
    (Status.CONFIRMED, Status.CANCELLED_BY_CLINIC),
    (Status.COMPLETED, Status.NO_SHOW),
    (Status.NO_SHOW, Status.COMPLETED),
}
#: In the table, but made only by bookings.services.holds (the patient's link, the sweep).
HOLD_ENDS = {(Status.HELD, Status.CONFIRMED), (Status.HELD, Status.EXPIRED)}


def test_the_table_is_exactly_the_documented_one():
    table = {(a, b) for a, targets in STATUS_TRANSITIONS.items() for b in targets}
    assert table == LEGAL | HOLD_ENDS
    assert set(STATUS_TRANSITIONS) == set(ALL)


@pytest.mark.parametrize(("from_status", "to_status"), [(a, b) for a in ALL for b in ALL])
def test_every_transition_legal_or_refused(clinic, staff_user, from_status, to_status):
    # In the past, so attended / did not attend are possible in time.
    appointment = AppointmentFactory(
        practitioner=clinic.amira,
        service=clinic.initial,
        start=NOW - timedelta(hours=3),
        status=from_status,
    )
    if (from_status, to_status) in LEGAL:
        appointment_status_change(
            appointment=appointment, to_status=to_status, source=Source.STAFF, actor=staff_user
        )
        appointment.refresh_from_db()
        assert appointment.status == to_status
        change = appointment.status_changes.get()
        assert (change.from_status, change.to_status, change.changed_by) == (
            from_status,
            to_status,
            staff_user,
        )
    else:
        with pytest.raises(AppointmentStatusError) as caught:
            appointment_status_change(
                appointment=appointment, to_status=to_status, source=Source.STAFF
            )
        if (from_status, to_status) in HOLD_ENDS:
            assert caught.value.code == "not_allowed"
        else:
            assert "can't be marked" in caught.value.message
        appointment.refresh_from_db()
        assert appointment.status == from_status
        assert not appointment.status_changes.exists()


def test_the_message_names_both_statuses(clinic):
    appointment = AppointmentFactory(
        practitioner=clinic.amira,
        service=clinic.initial,
        status=Status.CANCELLED_BY_PATIENT,
    )
    with pytest.raises(AppointmentStatusError) as caught:
        appointment_status_change(
            appointment=appointment, to_status=Status.COMPLETED, source=Source.STAFF
        )
    assert caught.value.message == (
        "This appointment is cancelled by patient, so it can't be marked attended."
    )


def test_attendance_cannot_be_recorded_before_the_start(clinic):
    appointment = AppointmentFactory(practitioner=clinic.amira, service=clinic.initial)
    with pytest.raises(AppointmentStatusError, match="hasn't started"):
        appointment_status_change(
            appointment=appointment, to_status=Status.COMPLETED, source=Source.STAFF
        )


def test_patients_may_only_cancel_and_not_inside_the_cutoff(clinic, settings):
    settings.BOOKING_CANCEL_CUTOFF_HOURS = 24
    soon = AppointmentFactory(
        practitioner=clinic.amira, service=clinic.initial, start=NOW + timedelta(hours=23)
    )
    with pytest.raises(ChangeTooLate):
        appointment_cancel(appointment=soon, source=Source.PATIENT)
    later = AppointmentFactory(
        practitioner=clinic.amira, service=clinic.initial, start=NOW + timedelta(hours=25)
    )
    with pytest.raises(AppointmentStatusError):
        appointment_status_change(
            appointment=later, to_status=Status.COMPLETED, source=Source.PATIENT
        )
    appointment_cancel(appointment=later, source=Source.PATIENT)
    assert later.status == Status.CANCELLED_BY_PATIENT
    # Staff may cancel inside the cut-off.
    appointment_cancel(appointment=soon)
    assert soon.status == Status.CANCELLED_BY_CLINIC


def test_cancelling_frees_the_discount_bumps_the_version_and_emails_everyone(
    clinic, patient, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        appointment = appointment_book(
            service=clinic.initial,
            practitioner=clinic.amira,
            start=datetime(2027, 1, 6, 10, tzinfo=UTC),
            patient=patient,
            discount_code="SAVE15",
            booked_via=Appointment.BookedVia.WEB,
        )
    clinic.save15.refresh_from_db()
    assert clinic.save15.times_used == 1
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        appointment_cancel(appointment=appointment, source=Source.PATIENT, now=NOW)
    appointment.refresh_from_db()
    assert appointment.version == 1 and appointment.cancelled_at == NOW
    clinic.save15.refresh_from_db()
    assert clinic.save15.times_used == 0
    assert not DiscountRedemption.objects.exists()
    subjects = sorted(message.subject for message in mail.outbox)
    assert subjects[0].startswith("Cancelled (cancelled by patient): ")
    assert subjects[1].startswith("Cancelled: your appointment on Wednesday 6 January 2027")
    assert Notification.objects.filter(key=f"booking:{appointment.pk}:staff-cancelled:1").exists()
    # The history shows the booking and the cancellation, in order.
    assert list(appointment.status_changes.values_list("from_status", "to_status")) == [
        ("", "confirmed"),
        ("confirmed", "cancelled_by_patient"),
    ]


def test_staff_can_cancel_without_emailing_the_patient_but_staff_are_told(
    clinic, django_capture_on_commit_callbacks
):
    appointment = AppointmentFactory(practitioner=clinic.amira, service=clinic.initial)
    with django_capture_on_commit_callbacks(execute=True):
        appointment_cancel(appointment=appointment, note="Flooded", notify_patient=False)
    assert [m.to for m in mail.outbox] == [["reception@example.com"]]
    assert "Flooded" in mail.outbox[0].body
