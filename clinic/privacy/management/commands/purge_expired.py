from django.core.management.base import BaseCommand

from clinic.privacy.services import retention_purge


class Command(BaseCommand):
    help = (
        "Delete personal data past its retention period (what the nightly Celery beat task "
        "does; run it from cron or a systemd timer if beat is not running)."
    )

    def handle(self, *args, **options) -> None:
        for title, count in retention_purge().items():
            self.stdout.write(f"{title}: {count} deleted")
