import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_liveness_is_trivial(client):
    response = client.get(reverse("health_live"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_health_reports_each_dependency_in_development(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.REDIS_URL = ""
    response = client.get(reverse("health"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["redis"]["status"] == "not configured"
    assert body["checks"]["worker"]["status"].startswith("not configured")
    assert "no-cache" in response["Cache-Control"]


def test_health_is_503_when_a_check_fails(client, monkeypatch):
    from clinic import health

    def no_worker():
        raise RuntimeError("no Celery worker answered")

    monkeypatch.setitem(health.CHECKS, "worker", no_worker)
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["status"] == "fail"


@pytest.mark.redis
def test_health_pings_the_real_redis(client, settings):
    from tests.conftest import redis_url

    settings.REDIS_URL = redis_url()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url(),
        }
    }
    response = client.get(reverse("health"))
    assert response.json()["checks"]["redis"]["status"] == "ok"


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
