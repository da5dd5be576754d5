import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_liveness_is_trivial(client):
    response = client.get(reverse("health_live"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_health_reports_each_dependency_in_development(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CACHE_REDIS_URL = ""
    response = client.get(reverse("health"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["redis"]["status"] == "not configured"
    assert body["worker"]["status"].startswith("not configured")
    assert "no-cache" in response["Cache-Control"]


def test_health_is_503_when_a_check_fails(client, monkeypatch):
    from clinic import health

    def no_redis():
        raise ConnectionError("Connection refused")

    monkeypatch.setitem(health.CHECKS, "redis", no_redis)
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["checks"]["redis"]["status"] == "fail"


def test_readiness_ignores_the_worker_which_monitoring_reads_from_its_heartbeat(client, settings):
    from clinic.worker_heartbeat import heartbeat_write

    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CACHE_REDIS_URL = ""
    never = client.get(reverse("health"))
    assert never.status_code == 200
    assert never.json()["worker"]["status"] == "unknown"
    assert client.get(reverse("health_worker")).status_code == 503

    heartbeat_write()
    assert client.get(reverse("health_worker")).json()["status"] == "ok"

    settings.WORKER_HEARTBEAT_STALE_SECONDS = -1  # the heartbeat is now too old
    assert client.get(reverse("health")).status_code == 200
    stale = client.get(reverse("health_worker"))
    assert stale.status_code == 503
    assert stale.json()["status"] == "stale"


@pytest.mark.redis
def test_health_pings_the_real_redis(client, settings):
    from tests.conftest import redis_url

    settings.CACHE_REDIS_URL = redis_url()
    settings.CACHES = {
        "default": {
            "BACKEND": "clinic.cache.FailOpenRedisCache",
            "LOCATION": redis_url(),
        }
    }
    response = client.get(reverse("health"))
    assert response.json()["checks"]["redis"]["status"] == "ok"


def test_health_is_503_when_redis_is_unreachable(client, settings):
    from tests.integration.conftest import free_port

    settings.CACHE_REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
    settings.CACHES = {
        "default": {
            "BACKEND": "clinic.cache.FailOpenRedisCache",
            "LOCATION": settings.CACHE_REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.25},
        }
    }
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["checks"]["redis"]["status"] == "fail"
    assert response.json()["checks"]["database"]["status"] == "ok"


def test_every_response_carries_a_request_id(client):
    first = client.get(reverse("health_live"))
    second = client.get(reverse("health_live"))
    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


@pytest.mark.parametrize(
    ("incoming", "kept"),
    [("abc12345-proxy-id", True), ("short", False), ("bad id\r\nSet-Cookie: x=1", False)],
)
def test_a_sane_incoming_request_id_is_kept(client, incoming, kept):
    response = client.get(reverse("health_live"), headers={"X-Request-ID": incoming})
    assert (response["X-Request-ID"] == incoming) is kept
