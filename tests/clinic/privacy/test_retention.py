"""The scheduled purge deletes what is past its retention period, and nothing else."""

from datetime import timedelta

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.management import call_command
from django.utils import timezone

from assessments.models import Submission
from bookings.models import Appointment
from clinic.contact.models import ContactMessage
from clinic.privacy.services import retention_purge
from clinic.privacy.tasks import retention_purge_task
from tests.assessments.factories import SubmissionFactory
from tests.bookings.factories import AppointmentFactory
from tests.clinic.contact.factories import ContactMessageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _retention(settings):
    settings.CONTACT_RETENTION_DAYS = 730
    settings.CANCELLED_APPOINTMENT_RETENTION_DAYS = 365
    settings.ASSESSMENT_RETENTION_DAYS = 365
    settings.AUDIT_RETENTION_DAYS = 2190


def test_contact_messages_go_after_their_retention_period():
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        old = ContactMessageFactory()
        traveller.shift(timedelta(days=700))
        recent = ContactMessageFactory()
        traveller.shift(timedelta(days=31))
        counts = retention_purge()
    assert counts["Contact messages"] == 1
    assert list(ContactMessage.objects.all()) == [recent]
    assert old.pk not in ContactMessage.objects.values_list("pk", flat=True)


def test_unlinked_assessments_go_at_their_retention_date_linked_ones_stay():
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        unlinked = SubmissionFactory()
        linked = SubmissionFactory()
        AppointmentFactory(assessment=linked, status=Appointment.Status.COMPLETED)
        traveller.shift(timedelta(days=367))
        retention_purge_task()
    assert not Submission.objects.filter(pk=unlinked.pk).exists()
    assert Submission.objects.filter(pk=linked.pk).exists()


def test_cancelled_appointments_go_after_a_year_attended_ones_stay():
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        cancelled = AppointmentFactory(status=Appointment.Status.CANCELLED_BY_PATIENT)
        attended = AppointmentFactory(status=Appointment.Status.COMPLETED)
        traveller.shift(timedelta(days=400))
        call_command("purge_expired")
    assert not Appointment.objects.filter(pk=cancelled.pk).exists()
    assert Appointment.objects.filter(pk=attended.pk).exists()


def test_audit_entries_go_after_six_years():
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        ContactMessageFactory()
        assert LogEntry.objects.count() >= 1
        traveller.shift(timedelta(days=2191))
        ContactMessageFactory()
        fresh = LogEntry.objects.filter(timestamp__gte=timezone.now() - timedelta(days=1)).count()
        counts = retention_purge()
    assert counts["Audit entries"] >= 1
    assert LogEntry.objects.count() >= fresh
