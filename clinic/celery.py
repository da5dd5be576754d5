"""The Celery application; configuration lives in Django settings under ``CELERY_``."""

import os

from celery import Celery
from celery.signals import celeryd_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

app = Celery("clinic")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@celeryd_init.connect
def worker_broker_timeout(conf, **_kwargs) -> None:
    """A worker waits out a hung Redis instead of timing out after the web's half second.

    The web processes publish with a short read timeout so that a patient is not kept waiting
    (``CELERY_BROKER_TRANSPORT_OPTIONS``). A worker that times out acknowledging a task never
    takes another one (kombu still counts the message as in flight: Celery logs "Couldn't
    ack" and stops consuming), so the worker, which has nothing better to do, waits
    ``WORKER_BROKER_SOCKET_TIMEOUT`` seconds for Redis to answer.
    """
    from django.conf import settings

    conf.broker_transport_options = {
        **conf.broker_transport_options,
        "socket_timeout": settings.WORKER_BROKER_SOCKET_TIMEOUT,
    }


# Workers write a heartbeat for /health/ (connected here so that only Celery processes run it).
import clinic.worker_heartbeat  # noqa: E402, F401
