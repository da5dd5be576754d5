"""Subject access export and erasure, as a clinic manager carries them out in the admin."""

import json
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from assessments.models import Submission
from bookings.models import Appointment, DiscountRedemption
from clinic.contact.models import ContactMessage
from clinic.notifications.models import Notification
from clinic.privacy.models import DataSubjectRequest
from clinic.privacy.services import email_hash, subject_access_export, subject_erase
from tests.assessments.factories import SubmissionFactory
from tests.bookings.factories import AppointmentFactory, DiscountCodeFactory
from tests.clinic.contact.factories import ContactMessageFactory

pytestmark = pytest.mark.django_db

EMAIL = "Ann.Patient@example.com"


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.STAFF_NOTIFICATION_EMAILS = ["reception@example.com"]


@pytest.fixture
def patient_records():
    now = timezone.now()
    past = AppointmentFactory(
        patient_email=EMAIL.lower(),
        start=now - timedelta(days=30),
        status=Appointment.Status.COMPLETED,
        notes="Left knee also sore",
    )
    past.end = past.start + past.service.duration
    past.blocked_until = past.end
    past.save()
    future = AppointmentFactory(patient_email=EMAIL, start=now + timedelta(days=5))
    DiscountRedemption.objects.create(
        code=DiscountCodeFactory(code="SAVE15"), appointment=future, email=EMAIL.lower(), sequence=1
    )
    return {
        "contact": ContactMessageFactory(email=EMAIL, message="My back hurts when I sit"),
        "other_contact": ContactMessageFactory(email="someone.else@example.com"),
        "submission": SubmissionFactory(with_contact=True, contact_email=EMAIL),
        "past": past,
        "future": future,
        "notification": _notification(1, to=EMAIL, subject="Your appointment"),
        "other_notification": _notification(2, to=f"x{EMAIL}", subject="Not theirs"),
    }


def _notification(n: int, *, to: str, subject: str) -> Notification:
    return Notification.objects.create(
        key=f"test:{n}",
        message_id=f"<test-{n}@example.com>",
        to=[to],
        subject=subject,
        body_text="See you soon",
        from_email="clinic@example.com",
        next_attempt_at=timezone.now(),
    )


def test_export_contains_everything_about_the_person_and_nothing_else(patient_records, staff_user):
    export = subject_access_export(email=EMAIL.upper(), actor=staff_user)
    records = export["records"]
    assert [m["message"] for m in records["Contact messages"]] == ["My back hurts when I sit"]
    assert len(records["Self-assessments"]) == 1
    assert records["Self-assessments"][0]["answers"] == patient_records["submission"].answers
    assert {a["reference"] for a in records["Appointments"]} == {
        patient_records["past"].reference,
        patient_records["future"].reference,
    }
    assert len(records["Discount code uses"]) == 1
    assert [n["subject"] for n in records["Emails we sent"]] == ["Your appointment"]
    request = DataSubjectRequest.objects.get()
    assert request.kind == "export" and request.performed_by == staff_user
    assert request.email_hash == email_hash(EMAIL) and EMAIL.lower() not in json.dumps(
        request.summary
    )


def test_erasure_deletes_what_it_may_and_keeps_clinical_records(patient_records, staff_user):
    summary = subject_erase(email=EMAIL, actor=staff_user)

    assert not ContactMessage.objects.filter(email__iexact=EMAIL).exists()
    assert ContactMessage.objects.filter(pk=patient_records["other_contact"].pk).exists()
    assert not Submission.objects.filter(pk=patient_records["submission"].pk).exists()
    assert not Appointment.objects.filter(pk=patient_records["future"].pk).exists()
    assert Appointment.objects.filter(pk=patient_records["past"].pk).exists()
    assert not Notification.objects.filter(pk=patient_records["notification"].pk).exists()
    assert Notification.objects.filter(pk=patient_records["other_notification"].pk).exists()

    assert summary["Appointments"]["kept"] == 1
    assert "clinical" in summary["Appointments"]["kept_because"]
    contact = summary["Contact messages"]
    assert (contact["deleted"], contact["kept"], contact["kept_because"]) == (1, 0, "")
    assert DataSubjectRequest.objects.get().kind == "erase"


def test_erasure_gives_the_discount_use_back_and_frees_the_time(patient_records, staff_user):
    code = patient_records["future"].discount_code or DiscountRedemption.objects.get().code
    code.refresh_from_db()
    subject_erase(email=EMAIL, actor=staff_user)
    assert DiscountRedemption.objects.count() == 0


def test_the_admin_request_form_exports_json_and_is_recorded(patient_records, staff_client):
    url = reverse("admin:privacy_datasubjectrequest_request")
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(url, {"email": EMAIL, "action": "export"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert json.loads(response.content)["records"]["Contact messages"]
    assert DataSubjectRequest.objects.filter(kind="export").count() == 1


def test_the_admin_erasure_needs_confirmation(patient_records, staff_client):
    url = reverse("admin:privacy_datasubjectrequest_request")
    refused = staff_client.post(url, {"email": EMAIL, "action": "erase"})
    assert refused.status_code == 400
    assert b"Tick this box" in refused.content
    assert ContactMessage.objects.filter(email__iexact=EMAIL).exists()
    done = staff_client.post(url, {"email": EMAIL, "action": "erase", "confirm_erase": "on"})
    assert done.status_code == 200
    assert b"What erasure did" in done.content
    assert not ContactMessage.objects.filter(email__iexact=EMAIL).exists()


def test_requests_are_audited_without_the_address(patient_records, staff_user):
    subject_erase(email=EMAIL, actor=staff_user)
    entries = LogEntry.objects.filter(
        content_type__model="datasubjectrequest"
    ) | LogEntry.objects.filter(content_type__model="contactmessage", action=LogEntry.Action.DELETE)
    assert entries.exists()
    assert all(EMAIL.lower() not in json.dumps(entry.changes).lower() for entry in entries)
