"""Health endpoints for load balancers and monitoring.

``/health/live/`` says the process answers. ``/health/`` checks what a request needs: the
database, Redis (when configured) and at least one Celery worker (when a broker is configured),
and answers 503 when any of them is down, with what failed and no more.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from clinic.celery import app as celery_app

logger = logging.getLogger(__name__)
WORKER_PING_TIMEOUT = 1.0


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_redis() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    client = cache._cache.get_client(write=True)  # the cache's own connection pool
    client.ping()
    return "ok"


def _check_worker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "not configured (tasks run in-process)"
    # Returns as soon as one worker answers; waits the full timeout only when none does.
    replies = celery_app.control.ping(timeout=WORKER_PING_TIMEOUT, limit=1)
    if not replies:
        raise RuntimeError("no Celery worker answered")
    return "ok"


CHECKS = {"database": _check_database, "redis": _check_redis, "worker": _check_worker}


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
        {"status": "ok" if healthy else "fail", "checks": results}, status=200 if healthy else 503
    )


@never_cache
@require_GET
def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})
