"""The manager's flow: find the person, preview, record the request with its due date, carry
it out; and the same from a shell with subject_export and subject_erase."""

import json
from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from bookings.models import Appointment
from bookings.services import appointment_book
from clinic.contact.models import ContactMessage
from clinic.contact.services import contact_message_create
from clinic.privacy.models import DataSubjectRequest, one_month_after
from tests.bookings.conftest import (  # noqa: F401 (fixtures)
    booking_settings,
    celery_in_process,
    clinic,
    frozen_now,
    patient,
)

pytestmark = pytest.mark.django_db
URL = "/admin/privacy/datasubjectrequest/request/"


@pytest.fixture
def ann(clinic, patient, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        appointment = appointment_book(
            service=clinic.initial,
            start=datetime(2027, 1, 6, 10, tzinfo=UTC),
            patient=patient,
            booked_via=Appointment.BookedVia.WEB,
        )
        contact_message_create(
            name=patient.name, email=patient.email, message="Hello", privacy_acknowledged=True
        )
    return appointment


def test_one_calendar_month():
    assert one_month_after(date(2027, 1, 31)) == date(2027, 2, 28)
    assert one_month_after(date(2027, 12, 15)) == date(2028, 1, 15)


def test_search_preview_record_then_carry_out(ann, staff_client, staff_user):
    assert reverse("admin:privacy_datasubjectrequest_request") == URL
    found = staff_client.get(URL, {"q": "07700900123"})
    assert [s.email for s in found.context["results"]] == ["ann@example.com"]

    preview = staff_client.get(URL, {"email": "ann@example.com"})
    assert len(preview.context["export_preview"]["Appointments"]) == 1
    erase = preview.context["erase_preview"]
    assert erase["Appointments"]["deleted"] == 1 and "cancelled" in erase["Appointments"]["note"]
    assert erase["Contact messages"]["deleted"] == 1
    # The preview changed nothing.
    assert Appointment.objects.get(pk=ann.pk).status == "confirmed"

    recorded = staff_client.post(
        URL,
        {
            "email": "ann@example.com",
            "action": "record",
            "kind": "erase",
            "requested_on": "2027-01-02",
        },
    )
    assert recorded.status_code == 302
    request = DataSubjectRequest.objects.get()
    assert (request.status, request.due_on) == ("open", date(2027, 2, 2))
    listed = staff_client.get(reverse("admin:privacy_datasubjectrequest_changelist"))
    assert "2 Feb 2027" in listed.text

    page = staff_client.get(URL, {"request": request.pk})
    assert page.context["open_request"] == request
    done = staff_client.post(
        URL,
        {
            "email": "ann@example.com",
            "action": "erase",
            "confirm_erase": "on",
            "request": request.pk,
            "requested_on": "2027-01-02",
        },
    )
    assert done.status_code == 200
    request.refresh_from_db()
    assert (request.status, request.subject_email, request.performed_by) == (
        "completed",
        "",
        staff_user,
    )
    assert not ContactMessage.objects.exists()


def test_a_future_request_date_is_refused(ann, staff_client):
    response = staff_client.post(
        URL, {"email": "ann@example.com", "action": "record", "requested_on": "2030-01-01"}
    )
    assert response.status_code == 400
    assert not DataSubjectRequest.objects.exists()


def test_the_commands(ann, staff_user, monkeypatch):
    out = StringIO()
    call_command("subject_export", "ANN@example.com", "--dry-run", stdout=out)
    assert json.loads(out.getvalue())["records"]["Contact messages"][0]["message"] == "Hello"
    assert not DataSubjectRequest.objects.exists()

    out = StringIO()
    call_command("subject_erase", "ann@example.com", "--dry-run", stdout=out)
    assert "Contact messages: erased 1" in out.getvalue()
    assert ContactMessage.objects.exists()

    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError):
        call_command("subject_erase", "ann@example.com", stdout=StringIO())
    assert ContactMessage.objects.exists()

    call_command("subject_erase", "ann@example.com", "--no-input", "--by", "staff", stdout=out)
    assert not ContactMessage.objects.exists()
    assert DataSubjectRequest.objects.get().performed_by == staff_user
    with pytest.raises(CommandError):
        call_command("subject_export", "not-an-address", stdout=StringIO())
