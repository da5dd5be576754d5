"""Hostile or odd input gets a clear 4xx, never a 500; personal pages are never stored."""

import json

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from clinic.json_body import JsonBodyError, json_body_parse
from clinic.page_cache import _local as local_page_cache
from tests.articles.factories import ArticleFactory
from tests.bookings.conftest import (  # noqa: F401 (fixtures)
    booking_settings,
    celery_in_process,
    clinic,
    frozen_now,
)

pytestmark = pytest.mark.django_db

BOOKING = {
    "service": "initial-consultation",
    "start": "2027-01-04T10:00:00+00:00",
    "name": "Ann Patient",
    "email": "ann@example.com",
    "phone": "07700 900123",
    "consent": True,
}


@pytest.fixture
def browser():
    return Client(raise_request_exception=False)


def test_deeply_nested_json_is_a_400_with_the_usual_error_body(browser, clinic):  # noqa: F811
    body = "[" * 3000 + "]" * 3000
    response = browser.post("/api/bookings/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"] == "malformed_json"
    assert "nested" in response.json()["message"]


def test_a_lone_surrogate_in_json_is_a_400(browser, clinic):  # noqa: F811
    body = json.dumps({**BOOKING, "name": "Ann \ud800"})  # ASCII: "\\ud800" escaped
    response = browser.post("/api/bookings/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"] == "malformed_json"
    assert "surrogate" in response.json()["message"]


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ('{"a": [1, {"b": "[[[[[["}]}', True),  # brackets inside strings do not count
        ('{"a": "\\"[[["}', True),
        ("[" * 33 + "]" * 33, False),
        ('{"\\udfff": 1}', False),  # in a key too
        ('"\\ud83d\\ude00"', True),  # a proper pair is an emoji
        (b"\xff", False),
    ],
)
def test_json_body_parse(text, ok):
    if ok:
        json_body_parse(text)
    else:
        with pytest.raises(JsonBodyError):
            json_body_parse(text)


def test_an_encoded_surrogate_in_a_form_field_is_no_server_error(browser):
    # %ED%A0%80 is U+D800 encoded as if it were a character: not UTF-8, so it is replaced.
    body = (
        "name=Ann+%ED%A0%80&email=ann%40example.com&preferred_contact=email"
        "&message=Hello+%ED%A0%80+there&privacy_acknowledged=on"
    )
    response = browser.post(
        reverse("contact:form"), body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in (200, 302)


def test_a_disallowed_host_is_a_plain_400(browser):
    response = browser.get("/", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert b"host" in response.content


def test_the_400_page_rendered_without_the_request_links_to_no_address(browser):
    # Too many form fields is a bad request Django answers with the 400 handler, which never
    # reads the request (its host may be the cause): so no canonical "://" link either.
    body = "&".join(f"f{number}=x" for number in range(1100))
    response = browser.post(
        reverse("contact:form"), body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert b"Something in that request was not right" in response.content
    assert b'href="://' not in response.content
    assert b'content="://' not in response.content


def test_a_disallowed_host_on_the_api_and_a_post_is_a_400_too(browser):
    assert browser.get("/api/slots/", headers={"host": "evil.example"}).status_code == 400
    assert browser.post("/contact/", {}, headers={"host": "evil.example"}).status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        "/book/details/",
        "/book/review/",
        "/book/confirmed/ABCD2345/",
        "/book/manage/not-a-token/",
        "/book/manage/not-a-token/cancel/",
        "/book/manage/not-a-token/move/",
        "/book/mine/",
        "/book/mine/not-a-token/",
        "/book/waitlist/",
        "/book/waitlist/joined/",
        "/book/waitlist/offer/not-a-token/",
        "/contact/",
        "/contact/thanks/",
        "/assessment/",
        "/assessment/result/",
    ],
)
def test_pages_with_personal_data_are_no_store(client, clinic, path):  # noqa: F811
    response = client.get(path)
    assert "no-store" in response["Cache-Control"], path


def test_the_my_bookings_form_showing_a_typed_address_is_no_store(client):
    response = client.post(reverse("bookings:my_bookings"), {"email": "ann.patient@example"})
    assert response.status_code == 400
    assert b"ann.patient@example" in response.content
    assert "no-store" in response["Cache-Control"]


def test_the_page_cache_keys_on_the_parameters_a_page_reads(client, settings):
    settings.PAGE_CACHE_SECONDS = 300
    for number in range(12):
        ArticleFactory(title=f"Piece {number}")
    cache.clear()
    local_page_cache.clear()
    for junk in range(5):
        assert client.get("/", {"utm_source": f"x{junk}"}).status_code == 200
        assert client.get("/articles/", {"fbclid": f"y{junk}"}).status_code == 200
    assert len(local_page_cache) == 2  # the home page and the article list, once each
    page_two = client.get("/articles/", {"page": "2", "utm": "z"})
    assert page_two.status_code == 200
    assert len(local_page_cache) == 3
    assert page_two.content != client.get("/articles/").content
    # Other spellings of page 2 are answered but not stored: leading zeros alone would
    # otherwise make an endless supply of keys for one page.
    for spelling in ["02", "0002", "+2", " 2", "last"]:
        assert client.get("/articles/", {"page": spelling}).status_code == 200, spelling
    assert client.get("/articles/?page=2&page=2").status_code == 200
    assert len(local_page_cache) == 3


def test_a_disallowed_host_is_a_plain_400_with_production_redirects_on(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    browser = Client(raise_request_exception=False)
    for headers in [
        {"host": "evil.example"},
        {"host": "evil.example", "x-forwarded-proto": "https"},
    ]:
        response = browser.get("/", headers=headers)
        assert response.status_code == 400, headers
        assert response["Content-Type"].startswith("text/plain")
