from django.apps import AppConfig
from django.db.models.signals import post_migrate


class BookingsConfig(AppConfig):
    """Services, practitioners, availability and appointments."""

    name = "bookings"
    verbose_name = "Bookings"

    def ready(self) -> None:
        from .roles import roles_sync_after_migrate

        post_migrate.connect(
            roles_sync_after_migrate, sender=self, dispatch_uid="bookings.roles_sync"
        )
