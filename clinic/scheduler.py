"""Celery beat's schedule run in one process, for machines without a broker (``make run``).

``CELERY_BEAT_SCHEDULE`` stays the one list of periodic tasks: with ``REDIS_URL`` set,
``celery beat`` sends them to the worker; without it, ``manage.py run_scheduled_tasks`` (which
``make run`` starts next to the web server) runs each one here, in its own process, when it is
due. The tasks are idempotent (each claims its rows with a conditional update), so running one
twice, late, or at the same time as beat elsewhere is harmless.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from celery import Celery
from celery.schedules import BaseSchedule, maybe_schedule

logger = logging.getLogger(__name__)


@dataclass
class Entry:
    name: str
    task: str
    schedule: BaseSchedule
    args: tuple = ()
    kwargs: dict | None = None
    last_run_at: datetime | None = None

    def seconds_until_due(self) -> float:
        """0 when due now (or never run), else the seconds until it is."""
        if self.last_run_at is None:
            return 0.0
        due, next_in = self.schedule.is_due(self.last_run_at)
        return 0.0 if due else float(next_in)


def entries_from(schedule: dict, *, app: Celery) -> list[Entry]:
    """The entries of a ``CELERY_BEAT_SCHEDULE``-shaped ``schedule``."""
    return [
        Entry(
            name=name,
            task=conf["task"],
            schedule=maybe_schedule(conf["schedule"], app=app),
            args=tuple(conf.get("args", ())),
            kwargs=dict(conf.get("kwargs", {})),
        )
        for name, conf in schedule.items()
    ]


def run_due(entries: list[Entry], *, app: Celery) -> list[str]:
    """Run, in this process, every entry that is due (all of them the first time).

    Returns the names run. A task that fails is logged and tried again at its next time; it
    never stops the others.
    """
    ran = []
    for entry in entries:
        if entry.seconds_until_due() > 0:
            continue
        entry.last_run_at = app.now()
        result = app.tasks[entry.task].apply(args=entry.args, kwargs=entry.kwargs or {})
        if result.failed():
            logger.error("Scheduled task %s failed: %r", entry.name, result.result)
        else:
            logger.info("Scheduled task %s ran", entry.name)
        ran.append(entry.name)
    return ran


def seconds_to_next(entries: list[Entry], *, ceiling: float) -> float:
    """How long to sleep before an entry is due, at most ``ceiling``."""
    return max(0.0, min([ceiling, *(entry.seconds_until_due() for entry in entries)]))
