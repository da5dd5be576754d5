from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """The reliable email outbox every other app sends through."""

    name = "clinic.notifications"
    label = "notifications"
    verbose_name = "Notifications"
