"""The worker's heartbeat against a real Celery worker: ok while it runs, stale once it is
gone or no longer takes tasks, and readiness unaffected either way."""

import os
import signal
import time

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from clinic.health import HEARTBEAT_KEY
from tests.conftest import redis_url
from tests.integration.conftest import wait_until

pytestmark = [pytest.mark.integration, pytest.mark.postgres, pytest.mark.redis]


@pytest.fixture
def broker(settings):
    from clinic.celery import app

    previous = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = redis_url(), False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    yield
    app.conf.broker_url, app.conf.task_always_eager = previous


@pytest.fixture
def beating_worker(broker, smtp, start_worker, monkeypatch):
    """A worker whose heartbeat (every second) has been seen: (client, worker)."""
    monkeypatch.setenv("WORKER_HEARTBEAT_SECONDS", "1")
    cache.delete(HEARTBEAT_KEY)
    client = Client()
    worker = start_worker(smtp=smtp)
    wait_until(
        lambda: client.get("/health/worker/").status_code == 200,
        timeout=10,
        message="a worker heartbeat",
    )
    return client, worker


def test_the_worker_heartbeat_follows_the_worker_and_readiness_does_not(beating_worker):
    client, worker = beating_worker
    up = client.get("/health/")
    assert up.status_code == 200, up.json()
    assert up.json()["worker"]["status"] == "ok"

    worker.stop()
    time.sleep(2.5)
    with override_settings(WORKER_HEARTBEAT_STALE_SECONDS=2):
        assert client.get("/health/worker/").status_code == 503
        started = time.perf_counter()
        ready = client.get("/health/")
        assert time.perf_counter() - started < 0.5  # no waiting on a broadcast
    assert ready.status_code == 200
    assert ready.json()["checks"]["database"]["status"] == "ok"


def test_a_worker_that_takes_no_more_tasks_is_reported_stale(beating_worker):
    # The worker's main process lives on, but its only pool process is stopped, as when it is
    # wedged: nothing is consumed, so the heartbeat (itself a task) must go stale.
    client, worker = beating_worker
    [child] = worker.pool_children()
    os.kill(child, signal.SIGSTOP)
    try:
        time.sleep(4)
        with override_settings(WORKER_HEARTBEAT_STALE_SECONDS=3):
            response = client.get("/health/worker/")
        assert response.status_code == 503, response.json()
        assert response.json()["status"] == "stale"
    finally:
        os.kill(child, signal.SIGCONT)
