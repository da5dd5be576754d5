"""Queue overdue outbox emails again: for cron or a systemd timer when beat is not running."""

from django.core.management.base import BaseCommand

from clinic.notifications.services import notification_outbox_sweep


class Command(BaseCommand):
    help = "Queue again the notifications still pending after NOTIFICATION_SWEEP_AFTER_SECONDS."

    def add_arguments(self, parser):
        parser.add_argument(
            "--after",
            type=float,
            default=None,
            help="Seconds overdue before a row is queued again (default: the setting).",
        )
        parser.add_argument("--limit", type=int, default=500, help="Most rows to queue in one go.")

    def handle(self, *args, after: float | None, limit: int, **options) -> None:
        ids = notification_outbox_sweep(older_than_seconds=after, limit=limit)
        self.stdout.write(f"Queued {len(ids)} notification(s) again.")
