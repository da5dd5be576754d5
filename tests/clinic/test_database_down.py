"""With PostgreSQL unreachable, patients get the 503 page (phone number, 999 / NHS 111), not a
500; the self-assessment's emergency answer still comes through, with Redis down too."""

import psycopg2
import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from clinic.breaker import broker_breaker, cache_breaker
from tests.integration.conftest import free_port

pytestmark = [pytest.mark.postgres]


@pytest.fixture
def database_down(transactional_db, monkeypatch, settings):
    settings.PAGE_CACHE_SECONDS = 0
    connection.close()

    def refuse(*args, **kwargs):
        raise psycopg2.OperationalError("connection to server failed: Connection refused")

    monkeypatch.setattr(connection, "get_new_connection", refuse)
    yield
    monkeypatch.undo()
    connection.close()


@pytest.fixture
def redis_down(settings):
    dead = f"redis://127.0.0.1:{free_port()}/0"
    settings.CACHES = {
        "default": {
            "BACKEND": "clinic.cache.FailOpenRedisCache",
            "LOCATION": dead,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
    settings.RATELIMIT_ENABLE = True
    yield
    cache_breaker.reset()
    broker_breaker.reset()


@pytest.fixture
def browser():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("url", ["/", "/articles/", "/book/", "/book/initial-consultation/"])
def test_pages_that_need_the_database_answer_503_with_the_phone_number(
    browser, database_down, settings, url
):
    response = browser.get(url)
    assert response.status_code == 503
    content = response.content.decode()
    assert settings.CLINIC_PHONE in content
    assert "999" in content and "NHS 111" in content
    assert response["Retry-After"]
    assert "no-store" in response["Cache-Control"]


def test_a_session_cookie_sent_while_the_database_is_down_is_a_503_too(browser, database_down):
    browser.cookies["sessionid"] = "abc123abc123abc123abc123abc123ab"
    assert browser.get("/book/").status_code == 503


def test_the_api_answers_json_503(browser, database_down):
    response = browser.get("/api/slots/?service=initial-consultation&date=2027-01-04")
    assert response.status_code == 503
    assert response.json()["error"] == "unavailable"


def test_the_emergency_result_with_postgresql_and_redis_down(browser, database_down, redis_down):
    response = browser.post(reverse("assessments:start"), {"e1": "yes"})
    assert response.status_code == 200, response.content[:300]
    content = response.content.decode()
    assert "Call 999 or go to A&amp;E now" in content
    assert "sessionid" not in response.cookies


def test_the_emergency_result_with_a_session_cookie_and_both_down(
    browser, database_down, redis_down
):
    browser.cookies["sessionid"] = "abc123abc123abc123abc123abc123ab"
    response = browser.post(reverse("assessments:start"), {"e1": "yes"})
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        response = browser.get(response["Location"])
    assert response.status_code == 200
    assert "Call 999 or go to A&amp;E now" in response.content.decode()


def test_liveness_needs_no_database(browser, database_down):
    assert browser.get("/health/live/").status_code == 200


def _session_update(action):
    """An ``execute_wrapper`` that runs ``action(cursor)`` instead of updating a session row."""

    def wrapper(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("UPDATE") and "django_session" in sql:
            return action(lambda: execute(sql, params, many, context), context["cursor"])
        return execute(sql, params, many, context)

    return wrapper


def _connection_lost(update, cursor):
    raise OperationalError("server closed the connection unexpectedly")


@pytest.mark.django_db
def test_a_connection_lost_as_the_session_is_saved_still_shows_the_page(browser):
    # The self-assessment's first page saves a new session itself, then the middleware
    # writes it again: PostgreSQL going away in between must not turn the page into a 400.
    with connection.execute_wrapper(_session_update(_connection_lost)):
        response = browser.get(reverse("assessments:start"))
    assert response.status_code == 200
    assert "sessionid" not in response.cookies


@pytest.mark.django_db
def test_a_session_deleted_meanwhile_is_still_refused(browser):
    def deleted_meanwhile(update, cursor):
        cursor.execute("DELETE FROM django_session")
        return update()  # updates no row: Django's "session deleted" answer

    with connection.execute_wrapper(_session_update(deleted_meanwhile)):
        response = browser.get(reverse("assessments:start"))
    assert response.status_code == 400
