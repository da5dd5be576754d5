"""Shared set-up for the booking benchmarks: a fresh PostgreSQL database with a busy diary."""

import logging
import os
import secrets
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Production-like settings, in this process: DEBUG off (no query log), no rate limits.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
os.environ["SECURE_SSL_REDIRECT"] = "false"
os.environ["RATE_LIMITS_ENABLED"] = "false"
os.environ.setdefault("LOG_LEVEL", "WARNING")


def database_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/clinic_bench4")
    os.environ["DATABASE_URL"] = url
    return url


def fresh_database() -> None:
    """Drop and create the benchmark database, then migrate it."""
    import psycopg2

    url = database_url()  # Before anything reads the settings: they take DATABASE_URL from it.
    from django.db import connections

    connections.close_all()  # A connection of this process would block the DROP.
    name = url.rsplit("/", 1)[1]
    admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    quiet_logs()


def quiet_logs() -> None:
    """Emails to memory and request warnings off: what a benchmark's summary needs."""
    from django.conf import settings

    # Emails are queued as in production; the in-process send goes to memory, not a server.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Every lost race is a 409, which Django logs as a warning; the summary is what matters.
    logging.getLogger("django.request").setLevel(logging.ERROR)


def clinic_create(*, practitioners: int, appointments: int, first_day):
    """A service offered by ``practitioners`` people (Mon-Sat 09:00-17:00, lunch 13:00-14:00)
    with ``appointments`` 30-minute bookings spread over the 31 days from ``first_day``."""
    from bookings.models import Appointment, Practitioner, Service, WorkingHours

    service = Service.objects.create(
        name="Initial consultation",
        slug="initial-consultation",
        duration_minutes=45,
        price=Decimal("60.00"),
        buffer_after_minutes=15,
    )
    short = Service.objects.create(
        name="Follow-up", slug="follow-up", duration_minutes=30, price=Decimal("45.00")
    )
    people = [
        Practitioner.objects.create(name=f"Practitioner {n}", slug=f"practitioner-{n}")
        for n in range(practitioners)
    ]
    for person in people:
        person.services.set([service, short])
    WorkingHours.objects.bulk_create(
        WorkingHours(practitioner=person, weekday=day, start=start, end=end)
        for person in people
        for day in range(6)
        for start, end in [(time(9), time(13)), (time(14), time(17))]
    )
    rows = []
    # Fill half-hour grid positions round-robin so the diaries are realistically busy.
    starts = [
        datetime.combine(first_day + timedelta(days=d), time(h, m), tzinfo=UTC)
        for d in range(31)
        if (first_day + timedelta(days=d)).weekday() < 6
        for h in [9, 10, 11, 12, 14, 15, 16]
        for m in (0, 30)
    ]
    index = 0
    for start in starts:
        for person in people:
            if index >= appointments:
                break
            rows.append(
                Appointment(
                    reference=f"B{index:07d}",
                    practitioner=person,
                    service=short,
                    start=start,
                    end=start + timedelta(minutes=30),
                    blocked_until=start + timedelta(minutes=30),
                    patient_name="Bench",
                    patient_email=f"b{index}@example.com",
                    patient_phone="07700900123",
                    price=Decimal("45.00"),
                    total=Decimal("45.00"),
                    booked_via=Appointment.BookedVia.STAFF,
                )
            )
            index += 1
    Appointment.objects.bulk_create(rows)
    return service, people


def history_create(*, appointments: int, before) -> None:
    """``appointments`` attended 30-minute appointments in the years before ``before`` (a
    date), spread over the practitioners' working days: a clinic's history, which slot
    searches must not read."""
    from bookings.models import Appointment, Practitioner, Service

    practitioners = list(Practitioner.objects.order_by("pk"))
    service = Service.objects.get(slug="follow-up")
    starts = []
    day = before - timedelta(days=1)
    while len(starts) * len(practitioners) < appointments:
        if day.weekday() < 6:
            starts.extend(
                datetime.combine(day, time(h, m), tzinfo=UTC)
                for h in [9, 10, 11, 12, 14, 15, 16]
                for m in (0, 30)
            )
        day -= timedelta(days=1)
    batch, index = [], 0
    for start in starts:
        for person in practitioners:
            if index >= appointments:
                break
            batch.append(
                Appointment(
                    reference=f"H{index:07d}",
                    practitioner=person,
                    service=service,
                    start=start,
                    end=start + timedelta(minutes=30),
                    blocked_until=start + timedelta(minutes=30),
                    status=Appointment.Status.COMPLETED,
                    patient_name="History",
                    patient_email=f"h{index}@example.com",
                    patient_phone="07700900123",
                    price=Decimal("45.00"),
                    total=Decimal("45.00"),
                    booked_via=Appointment.BookedVia.STAFF,
                )
            )
            index += 1
            if len(batch) >= 5000:
                Appointment.objects.bulk_create(batch)
                batch = []
    Appointment.objects.bulk_create(batch)
    # Booked a fortnight ahead, as patients do: created_at is "now" otherwise, and four years
    # of history would all count as this week's bookings on the dashboard.
    from django.db.models import F

    Appointment.objects.filter(reference__startswith="H").update(
        created_at=F("start") - timedelta(days=14)
    )
