"""With Redis unreachable (cache and broker on a dead port), every public page still answers.

Rate limits and the page cache fail open, emails wait in the outbox for the sweep, and once the
breaker has tripped a request does not touch Redis at all.
"""

import time
from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from bookings.models import Appointment
from bookings.services import appointment_book
from bookings.tokens import manage_token_make
from clinic.breaker import broker_breaker, cache_breaker
from clinic.notifications.models import Notification
from tests.articles.factories import ArticleFactory, TagFactory
from tests.bookings.conftest import (  # noqa: F401 (fixtures)
    booking_settings,
    celery_in_process,
    clinic,
    frozen_now,
    patient,
)
from tests.integration.conftest import free_port, publishing_to

pytestmark = pytest.mark.django_db

WEDNESDAY_10 = datetime(2027, 1, 6, 10, 0, tzinfo=UTC)
MONDAY_10 = "2027-01-04T10:00:00+00:00"
DETAILS = {
    "name": "Ann O'Brien",
    "email": "ann@example.com",
    "phone": "07700 900123",
    "notes": "",
    "discount_code": "",
    "consent": "on",
}


@pytest.fixture
def redis_down(settings, celery_in_process):  # noqa: F811
    """Cache and broker pointed at a port where nothing listens; rate limits on."""
    dead = f"redis://127.0.0.1:{free_port()}/0"
    settings.CACHES = {
        "default": {
            "BACKEND": "clinic.cache.FailOpenRedisCache",
            "LOCATION": dead,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
    settings.RATELIMIT_ENABLE = True
    settings.PAGE_CACHE_SECONDS = 300
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from clinic.celery import app as celery_app

    celery_app.conf.task_always_eager = False
    cache_breaker.reset()
    broker_breaker.reset()
    with publishing_to(dead):
        yield dead
    cache_breaker.reset()
    broker_breaker.reset()


@pytest.fixture
def booked(clinic, patient):  # noqa: F811
    return appointment_book(
        service=clinic.initial,
        practitioner=clinic.amira,
        start=WEDNESDAY_10,
        patient=patient,
        discount_code="",
        booked_via=Appointment.BookedVia.WEB,
    )


def test_the_cache_fails_open_and_the_breaker_skips_redis(redis_down):
    assert cache.get("anything", "default") == "default"
    assert cache.add("k", 1) is False
    with pytest.raises(ValueError):
        cache.incr("k")
    assert not cache_breaker.allows()
    started = time.perf_counter()
    for _ in range(100):
        cache.get("anything")
    assert time.perf_counter() - started < 0.05  # no connection attempts while open


def test_public_pages_answer(client, redis_down, clinic):  # noqa: F811
    article = ArticleFactory(title="Sitting and your back")
    tag = TagFactory(name="Posture", slug="posture")
    article.tags.add(tag)
    for url in [
        "/",
        "/?utm_source=x",
        "/privacy/",
        "/robots.txt",
        "/sitemap.xml",
        reverse("articles:list"),
        reverse("articles:list") + "?q=back",
        article.get_absolute_url(),
        reverse("articles:tag", args=["posture"]),
        reverse("articles:feed"),
        reverse("contact:form"),
        reverse("assessments:start"),
        reverse("bookings:start"),
        reverse("bookings:slots", args=[clinic.initial.slug]),
        reverse("bookings:waitlist"),
        "/api/slots/?service=initial-consultation&date=2027-01-04",
        "/health/live/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url


def test_the_booking_journey_and_api_book_and_leave_the_email_to_the_sweep(
    client,
    redis_down,
    clinic,  # noqa: F811
):
    response = client.post(
        reverse("bookings:slots", args=[clinic.initial.slug]),
        {"slot": MONDAY_10, "practitioner": "any"},
    )
    assert response.status_code == 302
    assert client.post(reverse("bookings:details"), DETAILS).status_code == 302
    started = time.perf_counter()
    response = client.post(reverse("bookings:review"))
    assert response.status_code == 302, response.content[:500]
    assert time.perf_counter() - started < 2
    assert client.get(response.url).status_code == 200
    appointment = Appointment.objects.get()
    ics = client.get(reverse("bookings:calendar_file", args=[appointment.reference]))
    assert ics.status_code == 200
    # Queued in the outbox, not lost: the sweep sends it when the broker is back.
    assert Notification.objects.filter(status=Notification.Status.PENDING).exists()

    api = client.post(
        "/api/bookings/",
        {
            "service": "follow-up",
            "start": "2027-01-05T11:00:00+00:00",
            "name": "Bo Patient",
            "email": "bo@example.com",
            "phone": "07700 900456",
            "consent": True,
        },
        content_type="application/json",
    )
    assert api.status_code == 201, api.content


def test_manage_links_waitlist_feed_and_contact(client, redis_down, booked, clinic):  # noqa: F811
    token = manage_token_make(appointment_id=booked.pk, version=booked.version)
    assert client.get(reverse("bookings:manage", args=[token])).status_code == 200
    assert client.get(reverse("bookings:manage_move", args=[token])).status_code == 200
    response = client.post(reverse("bookings:manage_cancel", args=[token]))
    assert response.status_code in (200, 302)
    booked.refresh_from_db()
    assert booked.status == Appointment.Status.CANCELLED_BY_PATIENT

    assert client.get(clinic.amira.get_feed_url()).status_code == 200

    response = client.post(
        reverse("bookings:waitlist"),
        {
            "service": clinic.initial.pk,
            "practitioner": "",
            "first_day": "2027-01-06",
            "last_day": "2027-01-08",
            "name": "Cy Patient",
            "email": "cy@example.com",
            "phone": "07700 900789",
            "consent": "on",
        },
    )
    assert response.status_code == 302

    response = client.post(
        reverse("contact:form"),
        {
            "name": "Di Patient",
            "email": "di@example.com",
            "preferred_contact": "email",
            "message": "Do you see people at weekends?",
            "privacy_acknowledged": "on",
        },
    )
    assert response.status_code == 302


def test_the_self_assessment_answers(client, redis_down):
    response = client.post(reverse("assessments:start"), {"e1": "yes"})
    assert response.status_code == 200
    assert b"999" in response.content


def test_the_admin_answers(staff_client, redis_down):
    assert staff_client.get("/admin/").status_code == 200
    assert staff_client.get("/admin/bookings/appointment/").status_code == 200
