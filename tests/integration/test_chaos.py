"""Chaos under a bounded mixed load, against gunicorn with a Redis of the test's own.

The load (``MixedLoad``) reads pages and slots, books through the API, takes the self-assessment
and posts the contact form, all valid requests: any 4xx is a fault as much as a 5xx.

* Redis killed and restarted, then hung (SIGSTOP: connections accepted, nothing answered): no
  server or client error at all, a request during the hang waits at most one short timeout,
  every booking the API confirmed is in the database, and after recovery every email is
  delivered exactly once.
* The Celery worker SIGKILLed: patients notice nothing; a new worker and the sweep deliver
  every email.
* PostgreSQL connections terminated (only this test database's web connections): any request
  that failed got the 503 page (phone number, 999 and NHS 111) or the API's JSON 503, never a
  500 or a 4xx; requests after the blip succeed; every email is still delivered once.

Each scenario's figures (requests by kind and status, bookings, emails, timings, duration) are
printed in a "chaos figures" section at the end of the pytest run, passed or failed.
"""

import json
import os
import signal
import threading
import time
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections

from bookings.models import Appointment
from clinic.notifications.models import Notification
from tests.articles.factories import ArticleFactory
from tests.bookings.factories import PractitionerFactory, ServiceFactory

from .chaos import APPLICATION_NAME, Gunicorn, MixedLoad, bookable_slots, request
from .conftest import publishing_to, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.postgres, pytest.mark.redis]

PRACTITIONERS = ["amira-shah", "tom-wheeler", "lee-park"]
# One cache timeout (0.25 s) and one broker timeout (0.5 s) at most, with room for a busy
# machine; a 2 s socket timeout, say, would show here.
HUNG_REDIS_MAX_MS = 1500


@pytest.fixture
def diary(transactional_db):
    service = ServiceFactory(
        slug="initial-consultation",
        name="Initial consultation",
        duration_minutes=45,
        price=Decimal("60.00"),
    )
    for slug in PRACTITIONERS:
        PractitionerFactory(slug=slug, name=slug.replace("-", " ").title(), services=[service])
    return ArticleFactory(title="Sitting well at work")


@pytest.fixture
def gunicorn(private_redis, smtp, tmp_path):
    server = Gunicorn(
        redis_url=private_redis.url, smtp_port=smtp.port, log_path=tmp_path / "gunicorn.log"
    )
    server.start()
    yield server
    server.stop()


def load_for(server, article) -> MixedLoad:
    return MixedLoad(
        base_url=server.base_url,
        article_path=article.get_absolute_url(),
        slots=bookable_slots(practitioners=PRACTITIONERS),
    )


def sweep_and_wait_for_every_email(smtp, broker_url: str, *, timeout: float = 40) -> dict:
    with publishing_to(broker_url):
        call_command("notifications_sweep", "--after", "0")
    expected = Notification.objects.count()
    wait_until(
        lambda: (
            Notification.objects.exclude(status="sent").count() == 0
            and len(smtp.by_message_id()) >= expected
        ),
        timeout=timeout,
        interval=0.2,
        message=f"{expected} emails",
    )
    time.sleep(1.0)  # any duplicate would be on its way by now
    return smtp.by_message_id()


def outage_figures(name: str, records) -> dict:
    """How many requests were answered during an outage, and how fast."""
    times = sorted(record.ms for record in records) or [0.0]
    return {
        f"while_{name}": len(records),
        f"{name}_median_ms": round(times[len(times) // 2], 1),
        f"{name}_max_ms": round(times[-1], 1),
    }


def under_fault(load: MixedLoad, fault, repair, *, seconds: float) -> list:
    """``fault()``, ``seconds`` of load, ``repair()``: the answers given in between."""
    fault()
    started = time.monotonic()
    time.sleep(seconds)
    repair()
    return load.between(started, time.monotonic())


def assert_every_booking_kept(load: MixedLoad) -> None:
    """Every booking confirmed to a client is in the database, and nothing else was booked."""
    assert sorted(Appointment.objects.values_list("reference", flat=True)) == sorted(load.booked)


def test_redis_killed_restarted_and_hung_under_load(
    diary, gunicorn, private_redis, smtp, start_worker, chaos_figures
):
    start_worker(smtp=smtp, broker_url=private_redis.url)
    load = load_for(gunicorn, diary).start()
    time.sleep(2.0)
    down = under_fault(load, private_redis.stop, private_redis.start, seconds=4.0)
    time.sleep(3.0)
    hung = under_fault(load, private_redis.pause, private_redis.resume, seconds=3.0)
    time.sleep(3.0)
    load.stop()

    chaos_figures.update(load.figures(), **outage_figures("down", down))
    chaos_figures.update(outage_figures("hung", hung))
    assert len(down) > 20, "the load did not run while Redis was down"
    kinds = {(r.kind, r.status) for r in down}
    assert {("book", 201), ("contact", 302), ("slots", 200), ("page", 200)} <= kinds, kinds
    assert len(hung) > 10, "the load did not run while Redis was hung"
    assert ("book", 201) in {(r.kind, r.status) for r in hung}
    assert load.server_errors() == [], gunicorn.output()
    assert load.client_errors() == []
    assert max(r.ms for r in hung) < HUNG_REDIS_MAX_MS, sorted(r.ms for r in hung)[-5:]
    assert load.booked and load.contacted
    assert_every_booking_kept(load)

    counts = sweep_and_wait_for_every_email(smtp, private_redis.url)
    notifications = Notification.objects.count()
    chaos_figures.update(emails=notifications, delivered=len(counts))
    assert notifications >= 2 * len(load.booked) + 2 * len(load.contacted)
    assert len(counts) == notifications
    assert set(counts.values()) == {1}, "duplicates"
    chaos_figures["duplicates"] = 0


def test_worker_sigkilled_under_load(
    diary, gunicorn, private_redis, smtp, start_worker, chaos_figures
):
    worker = start_worker(smtp=smtp, broker_url=private_redis.url)
    load = load_for(gunicorn, diary).start()
    time.sleep(2.0)
    os.killpg(worker.process.pid, signal.SIGKILL)
    worker.process.wait(timeout=10)
    killed_at = time.monotonic()
    time.sleep(3.0)
    load.stop()
    without_worker = load.between(killed_at, time.monotonic())
    chaos_figures.update(load.figures(), without_worker=len(without_worker))
    assert ("book", 201) in {(r.kind, r.status) for r in without_worker}
    assert load.server_errors() == [], gunicorn.output()
    assert load.client_errors() == []
    assert_every_booking_kept(load)

    start_worker(smtp=smtp, broker_url=private_redis.url)
    counts = sweep_and_wait_for_every_email(smtp, private_redis.url)
    notifications = Notification.objects.count()
    duplicates = sum(count - 1 for count in counts.values())
    chaos_figures.update(emails=notifications, delivered=len(counts), duplicates=duplicates)
    assert len(counts) == notifications  # every email delivered
    # The one documented window for a repeat: the worker died between the server's 250 and
    # recording it; a single pool process means at most one such email.
    assert duplicates <= 1, counts


def terminate_web_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name = %s "
            "AND pid <> pg_backend_pid()",
            [APPLICATION_NAME],
        )
        return cursor.fetchone()[0]


def assert_the_unavailable_answer(record) -> None:
    if record.kind in ("slots", "book"):
        assert json.loads(record.body)["error"] == "unavailable", record.body[:300]
        return
    page = record.body.decode()
    assert settings.CLINIC_PHONE in page, page[:300]
    assert "999" in page and "NHS 111" in page


def test_postgresql_connections_terminated_under_load(
    diary, gunicorn, private_redis, smtp, start_worker, chaos_figures
):
    start_worker(smtp=smtp, broker_url=private_redis.url)
    load = load_for(gunicorn, diary).start()
    time.sleep(1.5)
    terminated = []
    stop = threading.Event()

    def killer():
        try:
            while not stop.is_set():
                terminated.append(terminate_web_connections())
                stop.wait(0.5)
        finally:
            connections.close_all()

    thread = threading.Thread(target=killer, daemon=True)
    thread.start()
    time.sleep(5.0)
    stop.set()
    thread.join(timeout=10)
    blip_over = time.monotonic()
    time.sleep(2.5)
    load.stop()

    failed = load.server_errors()
    chaos_figures.update(
        load.figures(), connections_terminated=sum(terminated), answered_503=len(failed)
    )
    assert sum(terminated) > 0, "no web connection was terminated"
    assert all(r.status == 503 for r in failed), [(r.kind, r.status) for r in failed]
    for record in failed:
        assert_the_unavailable_answer(record)
    assert load.client_errors() == []
    after = [r for r in load.records if r.at > blip_over + 0.5]
    assert after and all(r.status < 400 for r in after)
    # Every request kind works afterwards, first time.
    for path in ["/", "/articles/", "/book/", "/assessment/", "/contact/"]:
        assert request(gunicorn.base_url, "GET", path).status == 200, path
    assert_every_booking_kept(load)

    counts = sweep_and_wait_for_every_email(smtp, private_redis.url)
    notifications = Notification.objects.count()
    chaos_figures.update(emails=notifications, delivered=len(counts))
    assert len(counts) == notifications
    assert set(counts.values()) == {1}, "duplicates"
    chaos_figures["duplicates"] = 0
