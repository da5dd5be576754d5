"""Each Celery worker writes a heartbeat to the cache, read by ``/health/`` (clinic.health).

A thread in the worker's main process, started when the worker is ready, stores the time every
``WORKER_HEARTBEAT_SECONDS``. A worker that dies (or is SIGKILLed) stops writing, and
``/health/worker/`` turns 503 once the heartbeat is older than
``WORKER_HEARTBEAT_STALE_SECONDS``. Writing through the fail-open cache, a Redis outage only
pauses the heartbeat.
"""

import logging
import threading
import time

from celery.signals import worker_ready, worker_shutdown
from django.conf import settings

logger = logging.getLogger(__name__)
_stop = threading.Event()


def heartbeat_write() -> None:
    from django.core.cache import cache

    from clinic.health import HEARTBEAT_KEY

    cache.set(HEARTBEAT_KEY, time.time(), timeout=24 * 60 * 60)


def _beat() -> None:
    while not _stop.is_set():
        try:
            heartbeat_write()
        except Exception:  # never let the thread die
            logger.warning("Worker heartbeat not written", exc_info=True)
        _stop.wait(settings.WORKER_HEARTBEAT_SECONDS)


@worker_ready.connect
def _start(**_kwargs) -> None:
    _stop.clear()
    threading.Thread(target=_beat, name="clinic-heartbeat", daemon=True).start()


@worker_shutdown.connect
def _stop_beating(**_kwargs) -> None:
    _stop.set()
