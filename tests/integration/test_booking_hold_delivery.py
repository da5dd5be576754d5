"""A booking held for email confirmation against real parts: HTTP to the live server, a Celery
worker on Redis and PostgreSQL, and an SMTP server. The hold email reaches the patient; its link
confirms the booking, and then the confirmation (with its calendar file) and the staff notice
arrive, each once. With Redis down the patient is answered at once and the outbox sweep sends
the hold email when Redis is back."""

import json
import re
import time
import urllib.parse
from decimal import Decimal

import pytest
from django.core.management import call_command

from bookings.models import Appointment
from clinic.notifications.models import Notification
from tests.bookings.factories import PractitionerFactory, ServiceFactory

from .chaos import bookable_slots, request
from .conftest import STAFF, publishing_to, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.postgres, pytest.mark.redis]

PATIENT = "ann@example.com"


@pytest.fixture
def holding_site(site, settings, transactional_db):
    settings.BOOKING_REQUIRE_EMAIL_CONFIRMATION = True
    settings.BOOKING_HOLD_MINUTES = 30
    service = ServiceFactory(
        slug="initial-consultation",
        name="Initial consultation",
        duration_minutes=45,
        price=Decimal("60.00"),
    )
    PractitionerFactory(slug="amira-shah", name="Amira Shah", services=[service])
    return site


def api_book(base_url: str) -> tuple[int, dict, float]:
    _slug, start = bookable_slots(practitioners=["amira-shah"])[0]
    body = {
        "service": "initial-consultation",
        "practitioner": "amira-shah",
        "start": start,
        "name": "Ann O'Brien",
        "email": PATIENT,
        "phone": "07700 900123",
    }
    started = time.monotonic()
    answer = request(
        base_url,
        "POST",
        "/api/bookings/",
        body=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    return answer.status, json.loads(answer.body), time.monotonic() - started


def confirm_by_link(base_url: str, link: str) -> tuple[int, str]:
    """Open the emailed link as a browser would, then press its one button."""
    path = urllib.parse.urlsplit(link).path
    page = request(base_url, "GET", path)
    assert page.status == 200
    html = page.body.decode()
    assert "Confirm my booking" in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    cookies = dict(
        cookie.split(";", 1)[0].split("=", 1) for cookie in page.cookies if "csrftoken" in cookie
    )
    answer = request(
        base_url,
        "POST",
        path,
        body=urllib.parse.urlencode({"csrfmiddlewaretoken": token}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        cookies=cookies,
    )
    return answer.status, answer.headers.get("location", "")


def the_link_in(received) -> str:
    text = received.message.get_body(("plain",)).get_content()
    return re.search(r"(http://\S+/book/manage/\S+/confirm/)", text).group(1)


def test_the_hold_email_then_the_confirmation_reach_the_patient_over_smtp(
    holding_site, smtp, start_worker
):
    start_worker(smtp=smtp)
    status, body, _elapsed = api_book(holding_site.base_url)
    assert status == 202, body
    assert body["status"] == "held"

    [hold] = smtp.wait_for(1)
    assert hold.envelope_to == [PATIENT]
    assert hold.subject.startswith("Not booked yet: please confirm by ")
    assert hold.subject.endswith(f"(ref. {body['reference']})")
    assert not list(hold.message.iter_attachments())  # no calendar file for a hold
    html = hold.message.get_body(("html",)).get_content()
    assert "Confirm my booking" in html
    time.sleep(1.0)
    assert len(smtp.received) == 1  # staff hear nothing of a hold

    status, location = confirm_by_link(holding_site.base_url, the_link_in(hold))
    assert status == 302 and location.startswith(f"/book/confirmed/{body['reference']}/")
    assert Appointment.objects.get().status == "confirmed"

    received = smtp.wait_for(3)
    time.sleep(1.0)  # any duplicate would be on its way by now
    counts = smtp.by_message_id()
    assert len(counts) == 3 and set(counts.values()) == {1}, counts
    [confirmation] = [r for r in smtp.to(PATIENT) if r is not hold]
    assert confirmation.subject.startswith("Your appointment on ")
    [ics] = list(confirmation.message.iter_attachments())
    assert ics.get_filename() == "appointment.ics"
    assert f"UID:{body['reference']}@" in ics.get_content()
    [staff] = [r for r in received if STAFF[0] in r.envelope_to]
    assert staff.subject.startswith("New booking: Initial consultation")
    assert staff.reply_to == PATIENT


def test_with_redis_down_the_patient_is_answered_and_the_sweep_sends_the_hold(
    holding_site, smtp, start_worker, private_redis
):
    with publishing_to(private_redis.url):
        start_worker(smtp=smtp, broker_url=private_redis.url)
        private_redis.stop()
        status, body, elapsed = api_book(holding_site.base_url)
        assert status == 202, body
        assert elapsed < 1.5, f"the patient waited {elapsed:.2f}s"
        [pending] = Notification.objects.filter(status="pending")
        assert pending.key.endswith(":hold")

        private_redis.start()
        call_command("notifications_sweep", "--after", "0")
        [hold] = smtp.wait_for(1)
        wait_until(
            lambda: not Notification.objects.exclude(status="sent").exists(),
            timeout=20,
            message="the hold email marked sent",
        )
    assert hold.envelope_to == [PATIENT]
    assert the_link_in(hold).startswith(holding_site.base_url)
    time.sleep(1.0)
    assert len(smtp.received) == 1
