"""Create demo data for a developer's machine: a staff login, articles, services, a diary.

Safe to run again: every seeder looks rows up by a natural key and leaves existing ones alone.

It refuses to run unless ``DEBUG`` is on: the staff login it creates has a published password
and a published second-factor key, so it must never exist on a production database (and if it
ever reaches one, the sign-in form refuses it there: ``clinic.demo_login``).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.demo_login import DEMO_PASSWORD, DEMO_TOTP_KEY, DEMO_TOTP_URL, DEMO_USERNAME
from clinic.discovery import app_modules


class Command(BaseCommand):
    help = "Create demo data (idempotent). Prints a staff login for local use only."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo only runs with DEBUG=true: it creates a staff login whose password "
                "and second-factor key are published. Never run it on a production database."
            )
        self._seed()

    @transaction.atomic
    def _seed(self) -> None:
        staff_user = self._demo_staff_user()
        # Each app with demo data has a ``demo`` module with ``seed(*, staff_user, stdout)``.
        for module in app_modules("demo"):
            module.seed(staff_user=staff_user, stdout=self.stdout)
        self._demo_second_factor(staff_user)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo staff login (local use only): {DEMO_USERNAME} / {DEMO_PASSWORD}\n"
                f"Second factor: add {DEMO_TOTP_URL} to an authenticator app, or print the "
                f"current code with: DEBUG=true python manage.py staff_totp_code {DEMO_USERNAME}"
            )
        )

    def _demo_second_factor(self, user) -> None:
        TOTPDevice.objects.get_or_create(
            user=user, name="Demo authenticator", defaults={"key": DEMO_TOTP_KEY, "confirmed": True}
        )

    def _demo_staff_user(self):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=DEMO_USERNAME,
            defaults={
                "first_name": "Demo",
                "last_name": "Admin",
                "email": "demo-admin@example.com",
                "is_staff": True,
                "is_superuser": True,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        return user
