"""The health endpoint against a real Celery worker: ok while it runs, 503 once it is gone."""

import pytest
from django.test import Client

from tests.conftest import redis_url

pytestmark = [pytest.mark.integration, pytest.mark.postgres, pytest.mark.redis]


@pytest.fixture
def broker(settings):
    from clinic.celery import app

    previous = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = redis_url(), False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    yield
    app.conf.broker_url, app.conf.task_always_eager = previous


def test_health_follows_the_worker(broker, smtp, start_worker):
    client = Client()
    worker = start_worker(smtp=smtp)
    up = client.get("/health/")
    assert up.status_code == 200, up.json()
    assert up.json()["checks"]["worker"]["status"] == "ok"
    assert up.json()["checks"]["database"]["status"] == "ok"

    worker.stop()
    down = client.get("/health/")
    assert down.status_code == 503
    assert down.json()["checks"]["worker"]["status"] == "fail"
