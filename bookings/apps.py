from django.apps import AppConfig


class BookingsConfig(AppConfig):
    """Services, practitioners, availability and appointments."""

    name = "bookings"
    verbose_name = "Bookings"
