"""The Celery application; configuration lives in Django settings under ``CELERY_``."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

app = Celery("clinic")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Workers write a heartbeat for /health/ (connected here so that only Celery processes run it).
import clinic.worker_heartbeat  # noqa: E402, F401
