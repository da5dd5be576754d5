"""Security headers on each kind of page, and CSRF protection on every form."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/articles/", "/privacy/", "/contact/", "/book/", "/assessment/"]


@pytest.mark.parametrize("url", [*PUBLIC_PAGES, "/api/slots/", "/health/live/", "/nowhere/"])
def test_every_response_carries_the_security_headers(client, url):
    response = client.get(url)
    csp = response["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.parametrize(
    "url",
    [
        "/assessment/",
        "/assessment/result/",
        "/book/manage/not-a-real-token/",
        f"/{settings.ADMIN_URL}",
        f"/{settings.ADMIN_URL}login/",
        "/api/slots/",
    ],
)
def test_pages_with_health_or_personal_data_are_never_stored(client, url):
    response = client.get(url)
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("url", ["/", "/articles/"])
def test_public_pages_may_be_cached(client, url):
    assert "no-store" not in client.get(url).get("Cache-Control", "")


def _public_form_urls() -> list[str]:
    return [
        reverse("contact:form"),
        reverse("assessments:start"),
        reverse("assessments:step", args=[2]),
        reverse("assessments:save"),
        reverse("bookings:details"),
        reverse("bookings:review"),
        reverse("bookings:slots", args=["initial-consultation"]),
        f"/{settings.ADMIN_URL}login/",
    ]


@pytest.mark.parametrize("url", _public_form_urls())
def test_every_form_refuses_a_post_without_a_csrf_token(url):
    client = Client(enforce_csrf_checks=True)
    response = client.post(url, {"name": "x", "email": "a@example.com", "e1": "no"})
    assert response.status_code == 403


def test_the_json_api_needs_no_cookie_and_sets_none():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/bookings/", data="{}", content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert not response.cookies


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("get", "/book/", {"service": "initial\x00consultation"}),
        ("get", "/book/initial-consultation/", {"practitioner": "a\x00"}),
        ("get", "/articles/", {"q": "back\x00pain"}),
        ("get", "/assessment/result/", {"x": "\x00"}),
    ],
)
def test_a_null_character_in_a_query_string_is_a_clean_400(client, method, url, data):
    response = getattr(client, method)(url, data)
    assert response.status_code == 400
    assert b"Something in that request was not right" in response.content


def test_a_null_character_in_an_api_call_is_a_json_400(client):
    response = client.get("/api/slots/", {"service": "\x00"})
    assert response.status_code == 400
    assert response.json()["error"] == "bad_request"


def test_an_emergency_answer_is_answered_even_in_a_malformed_post(client):
    response = client.post(
        "/assessment/", "e1=yes&e2=\x00", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        response = client.get(response["Location"])
    assert 'data-triage-level="EMERGENCY"' in response.content.decode()
