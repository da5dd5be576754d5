"""Services and database rules for stored self-assessments."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.models import Submission
from assessments.services import (
    ConsentRequiredError,
    ContactDetails,
    submission_create,
    submission_delete_past_retention,
    submission_mark_reviewed,
)
from assessments.triage import evaluate
from clinic.notifications.models import Notification

from .conftest import CLEAR_STEPS, STEP1_CLEAR, STEP2_CLEAR, STEP3_CLEAR, with_answers
from .factories import SubmissionFactory

pytestmark = pytest.mark.django_db


def _answers(*steps):
    merged = {}
    for step in steps:
        merged |= step
    return merged


def test_no_consent_no_row():
    result = evaluate(_answers(*CLEAR_STEPS))
    with pytest.raises(ConsentRequiredError):
        submission_create(result=result, health_storage_consented=False)
    assert Submission.objects.count() == 0


def test_a_partial_emergency_is_stored_with_the_answers_given():
    result = evaluate({"e1": "yes", "e8": "not_sure"}, through_step=1)

    submission = submission_create(result=result, health_storage_consented=True)

    assert submission.level == "EMERGENCY"
    assert submission.answers == {"e1": "yes", "e8": "not_sure"}
    assert submission.rule_ids == ["E1", "E8"]


def test_the_staff_alert_is_sent_only_on_commit(django_capture_on_commit_callbacks):
    result = evaluate(
        _answers(STEP1_CLEAR, with_answers(STEP2_CLEAR, u5="yes"), STEP3_CLEAR), through_step=3
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submission = submission_create(
            result=result,
            health_storage_consented=True,
            contact=ContactDetails(name="Jo", email="jo@example.com"),
        )
    assert mail.outbox == []
    assert len(callbacks) == 1
    assert Notification.objects.for_source(submission).get().key == (
        f"assessment:{submission.pk}:staff-alert"
    )


def test_a_rollback_leaves_no_row_and_sends_nothing(django_capture_on_commit_callbacks):
    result = evaluate({"e1": "yes"}, through_step=1)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        submission_create(
            result=result,
            health_storage_consented=True,
            contact=ContactDetails(name="Jo", phone="07700 900123"),
        )
        raise RuntimeError("boom")
    assert Submission.objects.count() == 0
    assert Notification.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize(
    "contact",
    [
        ContactDetails(name=" "),
        ContactDetails(name="Jo"),
        ContactDetails(name="", email="a@b.example"),
    ],
)
def test_a_contact_needs_a_name_and_a_way_to_reach_them(contact):
    with pytest.raises(ValueError, match="contact needs"):
        submission_create(
            result=evaluate({"e1": "yes"}, through_step=1),
            health_storage_consented=True,
            contact=contact,
        )


@pytest.mark.parametrize(
    "fields",
    [
        {"contact_name": "Jo"},  # details without consent
        {"contact_consent_at": timezone.now()},  # consent without details
        {"contact_consent_at": timezone.now(), "contact_name": "Jo"},  # no way to reach them
        {"level": "MAYBE"},
    ],
)
def test_database_constraints(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        SubmissionFactory(**fields)


def test_reviewer_without_a_time_is_refused(staff_user):
    with pytest.raises(IntegrityError), transaction.atomic():
        SubmissionFactory(reviewed_by=staff_user)


def test_mark_reviewed_keeps_the_first_reviewer(staff_user, django_user_model):
    submission = SubmissionFactory()
    other = django_user_model.objects.create_user(username="other", password="x" * 20)

    assert submission_mark_reviewed(submission=submission, actor=staff_user) is True
    first_time = submission.reviewed_at
    assert submission.reviewed_by == staff_user
    assert submission_mark_reviewed(submission=submission, actor=other) is False

    submission.refresh_from_db()
    assert submission.reviewed_by == staff_user
    assert submission.reviewed_at == first_time
    assert list(Submission.objects.reviewed()) == [submission]
    assert list(Submission.objects.unreviewed()) == []


def test_past_retention_submissions_and_their_emails_are_deleted(
    django_capture_on_commit_callbacks,
):
    today = timezone.localdate()
    result = evaluate({"e1": "yes"}, through_step=1)
    with django_capture_on_commit_callbacks(execute=True):
        expired = submission_create(
            result=result,
            health_storage_consented=True,
            contact=ContactDetails(name="Jo", phone="07700 900123"),
            results_email="jo@example.com",
        )
    Submission.objects.filter(pk=expired.pk).update(retain_until=today - datetime.timedelta(days=1))
    due_today = SubmissionFactory(retain_until=today)
    assert Notification.objects.count() == 2

    assert submission_delete_past_retention(today=today) == 1

    assert list(Submission.objects.all()) == [due_today]
    assert Notification.objects.count() == 0


def test_str_and_admin_url():
    submission = SubmissionFactory()
    # No level or answer in the name: it is what the audit log and admin messages show.
    assert str(submission) == f"Self-assessment {str(submission.public_id)[:8]}"
    assert submission.get_admin_url() == f"/admin/assessments/submission/{submission.pk}/change/"
