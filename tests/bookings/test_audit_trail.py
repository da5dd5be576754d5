"""The audit log: exports, time off and every status change are on it, a manager can filter it
by staff member, and entries read in plain words."""

from datetime import timedelta

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.contrib.auth.models import Group

from bookings.models import Appointment, AppointmentStatusChange, TimeOff
from bookings.services import appointment_move, time_off_add
from bookings.services.status import appointment_status_change
from clinic.roles import Role, roles_sync
from tests.bookings.services.test_booking import MONDAY_10, book
from tests.conftest import login_staff

pytestmark = pytest.mark.django_db

LOG = "/admin/auditlog/logentry/"


def _staff(django_user_model, username: str, role: Role):
    roles_sync()
    user = django_user_model.objects.create_user(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def test_a_receptionists_export_is_logged(client, clinic, patient, django_user_model):
    book(clinic, patient)
    receptionist = _staff(django_user_model, "desk", Role.RECEPTIONIST)
    login_staff(client, receptionist)
    response = client.get(
        "/admin/bookings/appointment/export/?first_day=2027-01-01&last_day=2027-12-31"
    )
    assert response.status_code == 200
    b"".join(response.streaming_content)
    entry = LogEntry.objects.get(actor=receptionist, additional_data__has_key="export")
    assert "contact details" in entry.additional_data["export"]
    assert "first_day=2027-01-01" in entry.additional_data["path"]


def test_time_off_and_status_changes_are_logged(clinic, patient, django_user_model):
    desk = _staff(django_user_model, "desk", Role.RECEPTIONIST)
    appointment = book(clinic, patient)
    with set_actor(desk):
        time_off = time_off_add(
            start=MONDAY_10 + timedelta(days=1),
            end=MONDAY_10 + timedelta(days=1, hours=2),
            practitioner=clinic.tom,
            reason="Course",
        )
        appointment_status_change(
            appointment=appointment,
            to_status=Appointment.Status.CANCELLED_BY_CLINIC,
            source=AppointmentStatusChange.Source.STAFF,
            actor=desk,
        )
    assert LogEntry.objects.get_for_object(time_off).get().actor == desk
    assert isinstance(time_off, TimeOff)
    status_entries = [
        e
        for e in LogEntry.objects.get_for_object(appointment)
        if e.action == LogEntry.Action.UPDATE and "status" in e.changes_dict
    ]
    assert [e.actor for e in status_entries] == [desk]


def test_a_manager_filters_the_log_by_user_and_reads_it_in_words(
    client, clinic, patient, django_user_model
):
    desk = _staff(django_user_model, "desk", Role.RECEPTIONIST)
    other = _staff(django_user_model, "other", Role.RECEPTIONIST)
    manager = _staff(django_user_model, "boss", Role.CLINIC_MANAGER)
    appointment = book(clinic, patient)
    with set_actor(desk):
        appointment_move(
            appointment=appointment,
            start=MONDAY_10 + timedelta(days=1, hours=1),
            source=AppointmentStatusChange.Source.STAFF,
            actor=desk,
        )
    with set_actor(other):
        time_off_add(
            start=MONDAY_10 + timedelta(days=3),
            end=MONDAY_10 + timedelta(days=3, hours=1),
            practitioner=clinic.tom,
        )
    login_staff(client, manager)
    page = client.get(f"{LOG}?actor__id__exact={desk.pk}").content.decode()
    assert "moved from Mon 4 Jan 10:00 to Tue 5 Jan 11:00" in page
    assert "created time off" not in page
    everyone = client.get(LOG).content.decode()
    assert "created time off" in everyone


def test_a_receptionist_cannot_read_the_log(client, django_user_model):
    login_staff(client, _staff(django_user_model, "desk", Role.RECEPTIONIST))
    assert client.get(LOG).status_code == 403
