"""Answers and helpers for walking the questionnaire through Django's test client."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

#: Step 1 with no warning sign.
STEP1_CLEAR = {
    "e1": "no",
    "e2": "no",
    "e3": "no",
    "e4": "no",
    "e5": "no",
    "e6": "no",
    "e7": "none",
    "e8": "no",
    "e9": "no",
    "e10": "no",
}
#: Step 2 with no urgent sign, aged 35.
STEP2_CLEAR = {
    "u1": "no",
    "u2": "no",
    "u3": "no",
    "u4": "no",
    "u5": "no",
    "u6": "no",
    "u7": "no",
    "u8": "no",
    "u9": "no",
    "u10": "no",
    "u11": "no",
    "age": "35",
    "first_episode": "no",
    "duration": "under_6_weeks",
}
#: Step 3 with nothing that needs an assessment.
STEP3_CLEAR = {
    "b1": "none",
    "b2": "no",
    "b3": "none",
    "b4": "not_tried",
    "b5": "no",
    "pain_score": "3",
}
#: Step 4: a tight left hamstring, reduced sit-and-reach, no pain during the tests.
STEP4_TIGHT = {
    "aket_left": "over_20",
    "aket_right": "within_20",
    "sit_reach": "short",
    "sit_reach_cm": "-6",
    "test_pain": "no",
}
CLEAR_STEPS = (STEP1_CLEAR, STEP2_CLEAR, STEP3_CLEAR, STEP4_TIGHT)


def step_url(number: int) -> str:
    if number == 1:
        return reverse("assessments:start")
    return reverse("assessments:step", args=[number])


def answer_steps(client: Client, *steps: dict[str, str]):
    """Post each step's answers in turn; return the last response (not followed)."""
    response = None
    for number, answers in enumerate(steps, start=1):
        response = client.post(step_url(number), answers)
        assert response.status_code == 302, (number, response.content.decode()[:2000])
    return response


@pytest.fixture
def result_page(client):
    """Walk the questionnaire with the given steps and return the result page response."""

    def walk(*steps: dict[str, str]):
        client.get(step_url(1))  # a normal visit: the browser has a session cookie
        answer_steps(client, *steps)
        response = client.get(reverse("assessments:result"))
        assert response.status_code == 200
        return response

    return walk


def with_answers(base: dict[str, str], **changes: str) -> dict[str, str]:
    return {**base, **changes}


@pytest.fixture(autouse=True)
def celery_in_process(settings):
    """Emails go through the real outbox task, in-process, even when REDIS_URL is set."""
    from clinic.celery import app as celery_app

    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    settings.STAFF_NOTIFICATION_EMAILS = ["reception@clinic.test"]
    settings.SITE_URL = "https://clinic.example"
    yield
    celery_app.conf.task_always_eager = previous
