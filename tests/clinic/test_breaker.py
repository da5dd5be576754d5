"""The Redis breakers: one failed call, then Redis is skipped until the period is over."""

import socket
import time
from types import SimpleNamespace

import pytest
from celery.signals import celeryd_init

from clinic.breaker import CircuitBreaker, broker_breaker
from clinic.celery import app as celery_app
from clinic.notifications import services
from clinic.notifications.tasks import notification_send
from tests.integration.conftest import free_port, publishing_to


def test_the_breaker_opens_on_failure_and_closes_after_its_period(settings, monkeypatch):
    settings.REDIS_BREAKER_SECONDS = 5
    clock = [100.0]
    monkeypatch.setattr("clinic.breaker.time.monotonic", lambda: clock[0])
    breaker = CircuitBreaker("test")
    assert breaker.allows()
    breaker.failed(ConnectionError("refused"))
    assert not breaker.allows()
    clock[0] += 5.1
    assert breaker.allows()  # half-open: the next call may try
    breaker.succeeded()
    assert breaker.allows()


@pytest.mark.django_db
def test_a_dead_broker_is_tried_once_then_skipped(settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    attempts = []
    original = notification_send.apply_async

    def counting(*args, **kwargs):
        attempts.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(notification_send, "apply_async", counting)
    try:
        with publishing_to(f"redis://127.0.0.1:{free_port()}/0"):
            assert services.notification_enqueue(notification_id=1) is False
            assert services.notification_enqueue(notification_id=2) is False
            assert services.notification_enqueue(notification_id=3) is False
    finally:
        celery_app.conf.task_always_eager = previous
    assert len(attempts) == 1
    assert not broker_breaker.allows()


@pytest.fixture
def silent_port():
    """A port that accepts connections and never answers, like a hung Redis."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)  # the kernel completes the handshakes; nothing ever replies
        yield server.getsockname()[1]


@pytest.mark.django_db
def test_a_hung_broker_holds_a_response_up_half_a_second_at_most(settings, silent_port):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        with publishing_to(f"redis://127.0.0.1:{silent_port}/0"):
            started = time.perf_counter()
            assert services.notification_enqueue(notification_id=1) is False
            first = time.perf_counter() - started
            started = time.perf_counter()
            assert services.notification_enqueue(notification_id=2) is False
            second = time.perf_counter() - started
    finally:
        celery_app.conf.task_always_eager = previous
    assert first < 0.9, f"the first publish to a hung broker took {first:.2f}s"
    assert second < 0.01  # the breaker is open: not even tried


def test_a_worker_waits_out_a_hung_broker_where_the_web_gives_up(settings):
    # A worker that times out acknowledging a task stops taking tasks (the chaos suite hangs
    # Redis to show it); only publishing from the web needs the short timeout.
    settings.WORKER_BROKER_SOCKET_TIMEOUT = 60
    conf = SimpleNamespace(broker_transport_options=dict(settings.CELERY_BROKER_TRANSPORT_OPTIONS))
    celeryd_init.send(sender="worker@test", instance=None, conf=conf, options={})
    assert conf.broker_transport_options["socket_timeout"] == 60
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["socket_timeout"] == 0.5
    assert conf.broker_transport_options["socket_connect_timeout"] == 0.5
