from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """The reliable email outbox every other app sends through."""

    name = "clinic.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from . import checks  # noqa: F401 (registers the system checks)
