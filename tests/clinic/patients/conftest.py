"""The bookings suite's small clinic (services, practitioners, a frozen Monday morning)."""

from tests.bookings.conftest import (  # noqa: F401 (fixtures)
    booking_settings,
    celery_in_process,
    clinic,
    frozen_now,
    patient,
)
