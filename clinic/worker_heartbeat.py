"""Each Celery worker keeps a heartbeat in the cache, read by ``/health/worker/`` (clinic.health).

A thread in the worker's main process, started when the worker is ready, queues the
``worker_heartbeat`` task every ``WORKER_HEARTBEAT_SECONDS``; a worker that runs the task stores
the time. So the heartbeat says a worker is taking tasks, not merely that its process is alive:
a worker that dies (or is SIGKILLed), whose pool is stuck, or that has stopped consuming (as
after a failed acknowledgement) lets it go stale, and ``/health/worker/`` turns 503 once it is
older than ``WORKER_HEARTBEAT_STALE_SECONDS``. A Redis outage pauses it too: no worker can work
then. Pages only read the key, so no request ever waits on the workers.
"""

import logging
import threading
import time

from celery import shared_task
from celery.signals import worker_ready, worker_shutdown
from django.conf import settings

logger = logging.getLogger(__name__)
_stop = threading.Event()


def heartbeat_write() -> None:
    from django.core.cache import cache

    from clinic.health import HEARTBEAT_KEY

    cache.set(HEARTBEAT_KEY, time.time(), timeout=24 * 60 * 60)


@shared_task(name="clinic.worker_heartbeat", ignore_result=True, acks_late=False)
def worker_heartbeat() -> None:
    heartbeat_write()


def _beat() -> None:
    while not _stop.is_set():
        try:
            # One that waits longer than the stale period says nothing new: let it expire.
            worker_heartbeat.apply_async(expires=settings.WORKER_HEARTBEAT_STALE_SECONDS)
        except Exception:  # never let the thread die
            logger.warning("Worker heartbeat not queued", exc_info=True)
        _stop.wait(settings.WORKER_HEARTBEAT_SECONDS)


@worker_ready.connect
def _start(**_kwargs) -> None:
    _stop.clear()
    threading.Thread(target=_beat, name="clinic-heartbeat", daemon=True).start()


@worker_shutdown.connect
def _stop_beating(**_kwargs) -> None:
    _stop.set()
