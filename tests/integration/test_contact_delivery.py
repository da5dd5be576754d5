"""The contact form against real parts: HTTP to the live server, a Celery worker on Redis and
PostgreSQL, and an SMTP server. Each fault test asserts that nothing is lost and nothing is sent
twice (except in the one documented window: the server accepted, the worker died before it
could record that)."""

import time

import pytest
from django.core.management import call_command
from django.db import transaction

from clinic.contact.models import ContactMessage
from clinic.contact.services import contact_message_create
from clinic.notifications.models import Notification

from .conftest import STAFF, publishing_to, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.postgres, pytest.mark.redis]


def assert_each_sent_once(smtp, expected: int, *, settle: float = 1.0) -> None:
    """``expected`` distinct emails arrived, none twice (waiting a moment for stragglers)."""
    smtp.wait_for(expected)
    time.sleep(settle)
    counts = smtp.by_message_id()
    assert len(counts) == expected, counts
    assert set(counts.values()) == {1}, f"duplicates: {counts}"
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}


def test_a_posted_message_reaches_staff_over_smtp(site, smtp, start_worker):
    start_worker(smtp=smtp)
    status, location, elapsed = site.post(
        name="Ann <b>Patient</b>", email="ann@example.com", message="<script>x()</script> help"
    )
    assert (status, location) == (302, "/contact/thanks/")
    assert elapsed < 1.0

    assert_each_sent_once(smtp, 2)
    [staff] = smtp.to(STAFF[0])
    assert sorted(staff.envelope_to) == sorted(STAFF)  # one email, to every staff address
    assert staff.reply_to == "ann@example.com"
    assert staff.subject == "New contact message from Ann <b>Patient</b>"
    contact_message = ContactMessage.objects.get()
    html = staff.message.get_body(("html",)).get_content()
    text = staff.message.get_body(("plain",)).get_content()
    assert "&lt;script&gt;x()&lt;/script&gt; help" in html and "<script>" not in html
    assert f"{site.base_url}/admin/contact/contactmessage/{contact_message.pk}/change/" in text
    [acknowledgement] = smtp.to("ann@example.com")
    assert acknowledgement.envelope_to == ["ann@example.com"]


def test_redis_down_while_posting_then_back(site, smtp, start_worker, private_redis, settings):
    """The patient gets the thank-you page at once; the sweep sends everything afterwards."""
    settings.RATELIMIT_ENABLE = True  # the rate limit's cache is the same Redis, so it fails too
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": private_redis.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    with publishing_to(private_redis.url):
        start_worker(smtp=smtp, broker_url=private_redis.url)
        assert site.post(email="before@example.com")[0] == 302
        smtp.wait_for(2)

        private_redis.stop()
        for n in range(3):
            status, location, elapsed = site.post(email=f"during{n}@example.com")
            assert (status, location) == (302, "/contact/thanks/")
            assert elapsed < 1.5, f"the patient waited {elapsed:.2f}s"
        assert ContactMessage.objects.count() == 4
        assert Notification.objects.filter(status="pending").count() == 6

        private_redis.start()
        # The worker reconnects by itself; cron (or beat) runs the sweep.
        call_command("notifications_sweep", "--after", "0")
        assert_each_sent_once(smtp, 8, settle=1.5)


def test_smtp_answering_451_for_a_while(site, smtp, start_worker):
    start_worker(smtp=smtp)
    smtp.refuse_until = time.time() + 1.5
    assert site.post()[0] == 302
    assert_each_sent_once(smtp, 2)
    assert smtp.refusals >= 2
    attempts = list(Notification.objects.values_list("attempts", flat=True))
    assert all(a >= 2 for a in attempts), attempts
    assert all("451" in e for e in Notification.objects.values_list("last_error", flat=True))


def test_worker_killed_mid_send_before_the_server_accepted(site, smtp, start_worker):
    """Killed while the SMTP conversation is under way: the retry sends it exactly once."""
    worker = start_worker(smtp=smtp)
    smtp.stall_rcpt_once = 5.0
    assert site.post()[0] == 302
    assert smtp.stalled.wait(10), "no send started"
    killed = worker.kill_pool_process()
    wait_until(lambda: worker.pool_children() and worker.pool_children() != [killed], timeout=10)
    assert_each_sent_once(smtp, 2, settle=1.5)
    assert "WorkerLostError" in worker.output() or "SIGKILL" in worker.output()


def test_worker_killed_after_the_server_accepted_the_data(site, smtp, start_worker):
    """The documented window: the server has the message but the worker dies before recording
    it. The email is delivered at least once; a repeat carries the same Message-ID."""
    worker = start_worker(smtp=smtp)
    smtp.stall_data_once = 3.0
    assert site.post()[0] == 302
    assert smtp.stalled.wait(10), "no send started"
    worker.kill_pool_process()
    wait_until(lambda: Notification.objects.filter(status="sent").count() == 2, timeout=20)
    time.sleep(1.0)  # any further copy would be on its way by now
    counts = smtp.by_message_id()
    # The stalled email arrives twice with one Message-ID (mail clients show it once); the
    # other exactly once. Never lost.
    assert sorted(counts.values()) == [1, 2], counts


def test_a_rollback_after_save_sends_nothing(site, smtp, start_worker, settings):
    start_worker(smtp=smtp)
    with pytest.raises(RuntimeError), transaction.atomic():
        contact_message_create(
            name="Rolled Back", email="gone@example.com", message="x", privacy_acknowledged=True
        )
        raise RuntimeError("a later step failed")
    # A committed message afterwards shows the worker was running all along.
    with transaction.atomic():
        contact_message_create(
            name="Kept", email="kept@example.com", message="x", privacy_acknowledged=True
        )
    assert_each_sent_once(smtp, 2)
    assert smtp.to("gone@example.com") == []
    assert ContactMessage.objects.get().name == "Kept"
