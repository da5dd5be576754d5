"""Keeping a result: only with explicit consent; staff alerts and "email me my results"."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from assessments.journey import SUBMISSION_SESSION_KEY
from assessments.models import Submission
from assessments.questions import QUESTIONS_BY_FIELD

from .conftest import (
    CLEAR_STEPS,
    STEP1_CLEAR,
    STEP2_CLEAR,
    STEP3_CLEAR,
    answer_steps,
    with_answers,
)

pytestmark = pytest.mark.django_db

SAVE_URL = "/assessment/result/save/"
CONSENT = {"consent_health_storage": "on"}
CONTACT = {"contact_consent": "on", "name": "Sam Patient", "phone": "07700 900123"}


@pytest.fixture
def urgent(client):
    """A finished questionnaire with an URGENT result (has had cancer)."""
    client.get(reverse("assessments:start"))
    answer_steps(client, STEP1_CLEAR, with_answers(STEP2_CLEAR, u2="yes"), STEP3_CLEAR)
    return client


@pytest.fixture
def emergency(client):
    client.get(reverse("assessments:start"))
    client.post(reverse("assessments:start"), {"e2": "not_sure"})
    return client


@pytest.fixture
def self_care(client):
    client.get(reverse("assessments:start"))
    answer_steps(client, *CLEAR_STEPS)
    return client


def save(client, data, *, capture):
    with capture(execute=True):
        return client.post(SAVE_URL, data)


def test_the_result_page_asks_for_each_consent_separately(self_care):
    page = self_care.get(reverse("assessments:result")).content.decode()

    assert 'name="consent_health_storage"' in page
    assert 'name="contact_consent"' in page
    assert 'name="email_results"' in page
    assert "for 365 days" in page
    assert "version 2026-11-25" in page
    assert 'href="/privacy/"' in page
    assert "checked" not in page


def test_without_consent_nothing_is_stored_or_sent(self_care, django_capture_on_commit_callbacks):
    response = save(self_care, {}, capture=django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert "nothing is saved" in response.content.decode()
    assert "Please check the form" in response.content.decode()
    assert Submission.objects.count() == 0
    assert mail.outbox == []
    assert SUBMISSION_SESSION_KEY not in self_care.session


def test_contact_or_email_without_the_storage_consent_stores_nothing(
    urgent, django_capture_on_commit_callbacks
):
    data = {**CONTACT, "email_results": "on", "email": "sam@example.com"}

    response = save(urgent, data, capture=django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert "we need to keep your answers" in response.content.decode()
    assert Submission.objects.count() == 0
    assert mail.outbox == []


def test_with_consent_exactly_one_submission_is_stored(
    client, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(datetime.datetime(2026, 12, 1, 10, 0, tzinfo=datetime.UTC), tick=False)
    self_care = client
    answer_steps(client, *CLEAR_STEPS)

    response = save(self_care, CONSENT, capture=django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == "/assessment/result/#saved"
    submission = Submission.objects.get()
    assert submission.level == "SELF_CARE"
    assert submission.ruleset_version == "v2"
    assert submission.wording_version == "v2"
    assert submission.rule_ids == []
    assert submission.answers["age"] == 35
    assert submission.answers["e1"] == "no"
    assert submission.answers["aket_left"] == "over_20"
    assert submission.answers["sit_reach_cm"] == -6
    assert submission.retain_until == datetime.date(2027, 12, 1)
    assert submission.privacy_notice_version == "2026-11-25"
    assert submission.consent_health_storage_at == datetime.datetime(
        2026, 12, 1, 10, 0, tzinfo=datetime.UTC
    )
    assert submission.contact_consent_at is None
    assert submission.contact_name == submission.contact_email == submission.contact_phone == ""
    # The booking journey can link an appointment to it.
    assert self_care.session[SUBMISSION_SESSION_KEY] == submission.pk
    assert mail.outbox == []  # no contact, no alert; no results email asked for

    page = self_care.get(reverse("assessments:result")).content.decode()
    assert "We have kept your answers" in page
    assert submission.public_id.hex[:8] in page
    assert "1 December 2027" in page
    assert 'name="consent_health_storage"' not in page


def test_saving_twice_stores_once(self_care, django_capture_on_commit_callbacks):
    save(self_care, CONSENT, capture=django_capture_on_commit_callbacks)
    save(self_care, CONSENT, capture=django_capture_on_commit_callbacks)
    assert Submission.objects.count() == 1


def test_changing_an_answer_after_saving_offers_to_save_the_new_result(
    self_care, django_capture_on_commit_callbacks
):
    save(self_care, CONSENT, capture=django_capture_on_commit_callbacks)
    self_care.post(reverse("assessments:start"), with_answers(STEP1_CLEAR, e1="yes"))

    page = self_care.get(reverse("assessments:result")).content.decode()
    assert 'name="consent_health_storage"' in page
    save(self_care, CONSENT, capture=django_capture_on_commit_callbacks)
    assert list(Submission.objects.values_list("level", flat=True).order_by("pk")) == [
        "SELF_CARE",
        "EMERGENCY",
    ]


def test_saving_needs_a_finished_questionnaire(client, django_capture_on_commit_callbacks):
    answer_steps(client, STEP1_CLEAR)
    response = save(client, CONSENT, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert Submission.objects.count() == 0


def test_saving_is_post_only(self_care):
    assert self_care.get(SAVE_URL).status_code == 405


def _health_texts() -> list[str]:
    texts = [str(q.text) for q in QUESTIONS_BY_FIELD.values()]
    return [*texts, "cancer", "pee", "poo", "URGENT", "EMERGENCY", "Sam", "07700", "Because"]


@pytest.mark.parametrize("fixture", ["urgent", "emergency"])
def test_urgent_or_emergency_with_contact_consent_alerts_staff_without_health_details(
    request, fixture, django_capture_on_commit_callbacks
):
    client = request.getfixturevalue(fixture)

    response = save(client, {**CONSENT, **CONTACT}, capture=django_capture_on_commit_callbacks)

    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.contact_name == "Sam Patient"
    assert submission.contact_phone == "07700 900123"
    assert submission.contact_consent_at is not None
    assert len(mail.outbox) == 1
    alert = mail.outbox[0]
    assert alert.to == ["reception@clinic.test"]
    admin_url = f"https://clinic.example/admin/assessments/submission/{submission.pk}/change/"
    bodies = [alert.subject, alert.body, alert.alternatives[0][0]]
    for body in bodies[1:]:
        assert admin_url in body
    for body in bodies:
        for text in _health_texts():
            assert text.lower() not in body.lower(), text


def test_self_care_with_contact_consent_does_not_alert_staff(
    self_care, django_capture_on_commit_callbacks
):
    save(self_care, {**CONSENT, **CONTACT}, capture=django_capture_on_commit_callbacks)
    assert Submission.objects.get().contact_consent_at is not None
    assert mail.outbox == []


def test_urgent_without_contact_consent_does_not_alert_staff(
    urgent, django_capture_on_commit_callbacks
):
    # Details typed in without ticking the box are not kept.
    data = {**CONSENT, "name": "Sam", "email": "sam@example.com"}
    save(urgent, data, capture=django_capture_on_commit_callbacks)
    submission = Submission.objects.get()
    assert submission.contact_name == submission.contact_email == ""
    assert mail.outbox == []


def test_email_me_my_results(self_care, django_capture_on_commit_callbacks):
    data = {**CONSENT, "email_results": "on", "email": "sam@example.com"}

    save(self_care, data, capture=django_capture_on_commit_callbacks)

    submission = Submission.objects.get()
    assert submission.contact_email == ""  # sending is not consent to be contacted
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sam@example.com"]
    assert "Looking after your back at home" in message.body
    assert "Call 999 now if you get any of these" in message.body
    assert "Speak to a GP or NHS 111 today if you get any of these" in message.body
    assert "Standing hamstring stretch" in message.body
    assert "https://clinic.example/book/?code=SAVE15" in message.body
    assert "not a diagnosis" in message.body
    assert "NHS 111" in message.body
    assert "Standing hamstring stretch" in message.alternatives[0][0]
    assert f"We keep your answers until {submission.retain_until:%-d %B %Y}" in message.body


def test_emailed_emergency_results_lead_with_999_and_never_offer_booking(
    emergency, django_capture_on_commit_callbacks
):
    data = {**CONSENT, "email_results": "on", "email": "sam@example.com"}
    save(emergency, data, capture=django_capture_on_commit_callbacks)

    message = mail.outbox[0]
    assert message.body.startswith("CALL 999 OR GO TO A&E NOW.")
    assert "/book/" not in message.body
    assert "/book/" not in message.alternatives[0][0]
    assert "Stretches" not in message.body


def test_urgent_with_contact_and_results_email_sends_both(
    urgent, django_capture_on_commit_callbacks
):
    data = {**CONSENT, **CONTACT, "email_results": "on", "email": "sam@example.com"}
    save(urgent, data, capture=django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == ["reception@clinic.test", "sam@example.com"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"contact_consent": "on", "phone": "07700 900123"}, "Enter your name"),
        ({"contact_consent": "on", "name": "Sam"}, "Enter a phone number or an email address"),
        ({**CONTACT, "phone": "call me"}, "Enter a phone number, like"),
        ({**CONTACT, "phone": "123"}, "Enter a phone number, like"),
        ({"email_results": "on"}, "Enter the email address to send your results to"),
        ({"email_results": "on", "email": "not-an-email"}, "Enter a valid email address"),
        ({"email_results": "on", "email": "a@b.example\nBcc: x@y.example"}, "valid email"),
    ],
)
def test_bad_contact_details_are_clear_errors(
    urgent, data, message, django_capture_on_commit_callbacks
):
    response = save(urgent, {**CONSENT, **data}, capture=django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Submission.objects.count() == 0
    assert mail.outbox == []


def test_a_form_with_errors_keeps_what_was_typed(urgent, django_capture_on_commit_callbacks):
    response = save(
        urgent,
        {**CONSENT, "contact_consent": "on", "name": "Sam"},
        capture=django_capture_on_commit_callbacks,
    )
    page = response.content.decode()
    assert 'name="name" id="id_name" value="Sam"' in page
    assert re.search(r'name="consent_health_storage"[^>]*checked', page)
    assert 'data-triage-level="URGENT"' in page


def test_saving_is_rate_limited_per_address(self_care, django_capture_on_commit_callbacks):
    statuses = [
        save(self_care, {}, capture=django_capture_on_commit_callbacks).status_code
        for _attempt in range(11)
    ]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
    # The questionnaire itself is never rate limited.
    emergency = self_care.post("/assessment/", {"e1": "yes"})
    assert emergency.status_code == 200
    assert 'data-triage-level="EMERGENCY"' in emergency.content.decode()
