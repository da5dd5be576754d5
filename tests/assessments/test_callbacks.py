"""The red-flag call-back queue: the email's link opens for every role it goes to, reception
records the call without seeing the answers, clinicians see them, and it is all audited."""

from __future__ import annotations

import re

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group
from django.core import mail

from assessments.callbacks import CallBackError, submission_call_record
from assessments.models import CallOutcome, Submission
from assessments.services import ContactDetails, submission_create
from assessments.triage import evaluate
from clinic.roles import Role, roles_sync
from tests.conftest import login_staff

from .conftest import STEP1_CLEAR, STEP2_CLEAR, STEP3_CLEAR, with_answers

pytestmark = pytest.mark.django_db

QUEUE = "/admin/assessments/callback/"
ANSWER_TEXT = "weak"  # part of the E7 reason text: a health detail


def _urgent(capture, *, name="Sam Patient", phone="07700 900123") -> Submission:
    answers = {**with_answers(STEP1_CLEAR, e7="one"), **STEP2_CLEAR, **STEP3_CLEAR}
    result = evaluate(answers, through_step=3)
    with capture(execute=True):
        return submission_create(
            result=result,
            health_storage_consented=True,
            contact=ContactDetails(name=name, phone=phone),
        )


def _staff(django_user_model, username: str, role: Role):
    roles_sync()
    user = django_user_model.objects.create_user(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def _link_in_email() -> str:
    (alert,) = mail.outbox
    return re.search(r"https?://\S+/admin/\S+", alert.body).group(0).split("testserver")[-1]


@pytest.mark.parametrize("role", list(Role))
def test_the_email_link_opens_for_every_role(
    client, django_user_model, django_capture_on_commit_callbacks, role, settings
):
    settings.SITE_URL = "http://testserver"
    submission = _urgent(django_capture_on_commit_callbacks)
    login_staff(client, _staff(django_user_model, "someone", role))
    page = client.get(_link_in_email())
    assert page.status_code == 200
    html = page.content.decode()
    assert "Sam Patient" in html and "07700 900123" in html
    assert submission.get_level_display() in html
    answers_shown = role != Role.RECEPTIONIST
    assert (ANSWER_TEXT in html) is answers_shown


def test_a_receptionist_records_the_call_from_the_email(
    client, django_user_model, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "http://testserver"
    submission = _urgent(django_capture_on_commit_callbacks)
    receptionist = _staff(django_user_model, "desk", Role.RECEPTIONIST)
    login_staff(client, receptionist)
    link = _link_in_email()

    queue = client.get(QUEUE + "?call=todo").content.decode()
    assert "Sam Patient" in queue and "To call" in queue
    assert f"{QUEUE}{submission.pk}/change/" in queue

    missing = client.post(link, {"record_call": "1"})
    assert missing.status_code == 200
    assert 'role="alert"' in missing.content.decode()

    response = client.post(
        link, {"record_call": "1", "outcome": CallOutcome.SPOKE, "note": "Going to A&E"}
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.call_outcome == CallOutcome.SPOKE
    assert submission.called_by == receptionist
    assert submission.call_note == "Going to A&E"
    assert (
        f"{QUEUE}{submission.pk}/change/" not in client.get(QUEUE + "?call=todo").content.decode()
    )

    assert client.post(link, {"mark_reviewed": "1"}).status_code == 302
    submission.refresh_from_db()
    assert submission.reviewed_by == receptionist

    entries = LogEntry.objects.get_for_object(submission).filter(actor=receptionist)
    changed = set().union(*(entry.changes_dict for entry in entries))
    assert {"call_outcome", "call_note", "reviewed_at"} <= changed
    note_change = next(e for e in entries if "call_note" in e.changes_dict)
    assert "Going to A&E" not in str(note_change.changes)  # masked: it may hold health details


def test_a_receptionist_still_cannot_open_the_full_self_assessment(
    client, django_user_model, django_capture_on_commit_callbacks
):
    submission = _urgent(django_capture_on_commit_callbacks)
    login_staff(client, _staff(django_user_model, "desk", Role.RECEPTIONIST))
    assert client.get(submission.get_admin_url()).status_code == 403


def test_staff_without_a_role_cannot_open_the_queue(
    client, django_user_model, django_capture_on_commit_callbacks
):
    submission = _urgent(django_capture_on_commit_callbacks)
    nobody = django_user_model.objects.create_user(username="temp", is_staff=True)
    login_staff(client, nobody)
    assert client.get(QUEUE).status_code == 403
    assert client.get(f"{QUEUE}{submission.pk}/change/").status_code == 403
    post = client.post(f"{QUEUE}{submission.pk}/change/", {"outcome": CallOutcome.SPOKE})
    assert post.status_code == 403
    submission.refresh_from_db()
    assert submission.called_at is None


def test_self_care_and_non_consenting_results_are_not_in_the_queue(
    client, django_user_model, django_capture_on_commit_callbacks
):
    result = evaluate({**STEP1_CLEAR, **STEP2_CLEAR, **STEP3_CLEAR}, through_step=3)
    calm = submission_create(
        result=result,
        health_storage_consented=True,
        contact=ContactDetails(name="Calm Person", phone="0123"),
    )
    login_staff(client, _staff(django_user_model, "desk", Role.RECEPTIONIST))
    assert "Calm Person" not in client.get(QUEUE).content.decode()
    assert client.get(f"{QUEUE}{calm.pk}/change/").status_code == 404


def test_an_unknown_outcome_is_refused(django_capture_on_commit_callbacks, django_user_model):
    submission = _urgent(django_capture_on_commit_callbacks)
    actor = _staff(django_user_model, "desk", Role.RECEPTIONIST)
    with pytest.raises(CallBackError):
        submission_call_record(submission=submission, actor=actor, outcome="maybe")
    submission.refresh_from_db()
    assert submission.called_at is None


def test_the_staff_view_no_longer_says_because_twice(
    staff_client, django_capture_on_commit_callbacks
):
    submission = _urgent(django_capture_on_commit_callbacks)
    html = staff_client.get(submission.get_admin_url()).content.decode()
    assert "Because the patient told us" not in html
    assert "warning signs shown to the patient" in html.lower()
