"""The audit log: who changed or opened patient records, without copying health answers."""

import json

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from assessments.models import Submission
from clinic.audit import REDACTED
from tests.assessments.factories import SubmissionFactory

pytestmark = pytest.mark.django_db

ANSWER_TEXT = "not_sure"


def _entries_for(obj) -> list[LogEntry]:
    return list(LogEntry.objects.get_for_object(obj).order_by("timestamp"))


def test_creating_a_submission_is_logged_without_its_answers():
    submission = SubmissionFactory(answers={"e1": ANSWER_TEXT, "age": "44"})
    (entry,) = _entries_for(submission)
    assert entry.action == LogEntry.Action.CREATE
    dumped = json.dumps(entry.changes) + entry.object_repr
    assert ANSWER_TEXT not in dumped
    assert submission.level not in dumped
    for field in ("answers", "level", "rule_ids"):
        assert entry.changes[field] == [REDACTED, REDACTED]


def test_a_staff_view_of_a_stored_assessment_is_logged_with_who(staff_client, staff_user):
    submission = SubmissionFactory()
    url = reverse("admin:assessments_submission_change", args=[submission.pk])
    assert staff_client.get(url).status_code == 200
    access = [e for e in _entries_for(submission) if e.action == LogEntry.Action.ACCESS]
    assert len(access) == 1
    assert access[0].actor == staff_user
    assert access[0].remote_addr == "127.0.0.1"


def test_reviewing_is_logged_as_a_change_by_the_reviewer(staff_client, staff_user):
    submission = SubmissionFactory()
    staff_client.post(
        reverse("admin:assessments_submission_changelist"),
        {"action": "mark_reviewed", "_selected_action": [submission.pk]},
    )
    assert Submission.objects.get(pk=submission.pk).reviewed_at is not None
    changes = [e for e in _entries_for(submission) if e.action == LogEntry.Action.UPDATE]
    assert changes and changes[-1].actor == staff_user
    assert "reviewed_at" in changes[-1].changes


def test_managers_can_read_the_audit_log_in_the_admin(staff_client):
    SubmissionFactory()
    response = staff_client.get(reverse("admin:auditlog_logentry_changelist"))
    assert response.status_code == 200
    assert ANSWER_TEXT not in response.content.decode()


def test_a_spoofed_forwarded_for_is_not_recorded_as_the_address(staff_client):
    submission = SubmissionFactory()
    url = reverse("admin:assessments_submission_change", args=[submission.pk])
    staff_client.get(url, headers={"X-Forwarded-For": "6.6.6.6"})
    access = [e for e in _entries_for(submission) if e.action == LogEntry.Action.ACCESS]
    assert access[0].remote_addr == "127.0.0.1"


def test_a_request_leaves_no_staff_member_behind_for_later_work(staff_client):
    """auditlog sets its context variable per request and never resets it; ours does."""
    from clinic.audit import audit_actor

    assert staff_client.get("/admin/").status_code == 200
    assert audit_actor() is None
