"""Health endpoints for load balancers and monitoring.

* ``/health/live/``: the process answers (liveness). Touches nothing.
* ``/health/``: readiness, from what a request needs: the database and Redis (when configured).
  503 when either is down, with what failed and no more. The Celery worker is reported too, for
  information only: email is designed to catch up, so a stopped worker must not take every web
  instance out of the load balancer.
* ``/health/worker/``: for monitoring, 503 when no worker has sent a heartbeat lately.

Workers keep a heartbeat (a timestamp in the cache), written by a task each worker queues every
``WORKER_HEARTBEAT_SECONDS`` (``clinic.worker_heartbeat``): it is fresh only while some worker
takes tasks. These pages read one key and never wait on a broadcast to the workers.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

HEARTBEAT_KEY = "health:worker-heartbeat"


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_redis() -> str:
    if not settings.CACHE_REDIS_URL:
        return "not configured"
    client = cache._cache.get_client(write=True)  # the cache's own connection pool
    client.ping()
    return "ok"


CHECKS = {"database": _check_database, "redis": _check_redis}


def worker_status() -> dict:
    """The workers' heartbeat: ``ok``, ``stale`` (none lately), or ``unknown`` (never seen)."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"status": "not configured (tasks run in-process)"}
    last = cache.get(HEARTBEAT_KEY)
    if last is None:
        return {"status": "unknown"}
    age = max(0.0, time.time() - float(last))
    fresh = age <= settings.WORKER_HEARTBEAT_STALE_SECONDS
    return {"status": "ok" if fresh else "stale", "seconds_since_heartbeat": round(age, 1)}


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    results, healthy = {}, True
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            status = check()
        except Exception as exc:  # any failure is reported, never raised
            logger.warning("health check %s failed: %s", name, exc)
            status, healthy = "fail", False
        results[name] = {
            "status": status,
            "ms": round((time.perf_counter() - started) * 1000, 1),
        }
    return JsonResponse(
        {"status": "ok" if healthy else "fail", "checks": results, "worker": worker_status()},
        status=200 if healthy else 503,
    )


@never_cache
@require_GET
def worker(request: HttpRequest) -> JsonResponse:
    status = worker_status()
    healthy = status["status"] == "ok" or status["status"].startswith("not configured")
    return JsonResponse(status, status=200 if healthy else 503)


@never_cache
@require_GET
def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})
