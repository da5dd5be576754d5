"""A small clinic at a fixed moment: Monday 4 January 2027, 07:00 in London (GMT).

With two hours' minimum notice the first bookable start is 09:00 that day.
"""

from datetime import UTC, datetime, time
from decimal import Decimal
from types import SimpleNamespace

import pytest
import time_machine

from bookings.services import Patient
from clinic.celery import app as celery_app

from .factories import WEEKDAY_HOURS, DiscountCodeFactory, PractitionerFactory, ServiceFactory

NOW = datetime(2027, 1, 4, 7, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def celery_in_process():
    """Emails are sent in the test's process even when a broker is configured (REDIS_URL)."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def booking_settings(settings):
    settings.BOOKING_HORIZON_DAYS = 60
    settings.BOOKING_MIN_NOTICE_HOURS = 2
    settings.BOOKING_SLOT_STEP_MINUTES = 15
    settings.STAFF_NOTIFICATION_EMAILS = ["reception@example.com"]
    settings.RATELIMIT_ENABLE = False
    return settings


@pytest.fixture
def holds(settings):
    """Online bookings are held for 30 minutes until the patient confirms by email."""
    settings.BOOKING_REQUIRE_EMAIL_CONFIRMATION = True
    settings.BOOKING_HOLD_MINUTES = 30
    return settings


@pytest.fixture
def clinic(db, frozen_now, booking_settings):
    """The demo clinic's shape: two services, two practitioners, SAVE15."""
    initial = ServiceFactory(
        slug="initial-consultation",
        name="Initial consultation",
        duration_minutes=45,
        price=Decimal("60.00"),
    )
    follow_up = ServiceFactory(
        slug="follow-up",
        name="Follow-up",
        duration_minutes=30,
        price=Decimal("45.00"),
        position=1,
    )
    amira = PractitionerFactory(
        slug="amira-shah",
        name="Amira Shah",
        position=0,
        services=[initial, follow_up],
        hours=[*WEEKDAY_HOURS, (5, time(9), time(13))],
    )
    tom = PractitionerFactory(
        slug="tom-wheeler", name="Tom Wheeler", position=1, services=[initial, follow_up]
    )
    save15 = DiscountCodeFactory(code="SAVE15", services=[initial])

    return SimpleNamespace(
        initial=initial, follow_up=follow_up, amira=amira, tom=tom, save15=save15
    )


@pytest.fixture
def patient():
    return Patient(name="Ann O'Brien", email="ann@example.com", phone="07700 900123")
