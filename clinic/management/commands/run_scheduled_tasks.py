"""Run the periodic tasks (day-before reminders, outbox sweep, retention) without Celery beat.

    python manage.py run_scheduled_tasks          # loop until stopped (make run starts this)
    python manage.py run_scheduled_tasks --once   # run everything once and exit (cron, tests)

Reads ``CELERY_BEAT_SCHEDULE``, the schedule ``celery beat`` uses with a broker; see
``clinic/scheduler.py``. With ``REDIS_URL`` set, run ``celery beat`` instead.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand

from clinic.celery import app
from clinic.scheduler import entries_from, run_due, seconds_to_next


class Command(BaseCommand):
    help = "Run Celery beat's periodic tasks in this process, each when it is due."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="Run every task once and exit.")
        parser.add_argument(
            "--max-sleep",
            type=float,
            default=30.0,
            help="Look at the schedule at least this often, in seconds (default 30).",
        )

    def handle(self, *args, once: bool = False, max_sleep: float = 30.0, **options) -> None:
        app.loader.import_default_modules()  # registers every app's tasks
        entries = entries_from(settings.CELERY_BEAT_SCHEDULE, app=app)
        names = ", ".join(entry.name for entry in entries)
        self.stdout.write(f"Running scheduled tasks in this process: {names}")
        try:
            while True:
                ran = run_due(entries, app=app)
                if ran:
                    self.stdout.write(f"Ran: {', '.join(ran)}")
                if once:
                    return
                time.sleep(seconds_to_next(entries, ceiling=max_sleep) + 0.5)
        except KeyboardInterrupt:
            self.stdout.write("Stopped.")
