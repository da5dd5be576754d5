"""Benchmark: the back office signed in (password and TOTP, as staff sign in), against the
admin's own index page, with 10 practitioners and 2,000 upcoming bookings, optionally with years
of past appointments in the same table.

    .venv/bin/python bench/admin_pages.py                     # from the project root
    .venv/bin/python bench/admin_pages.py --history 120000    # plus four years of visits

Recreates the database ``BENCH_DATABASE_URL`` (default ``clinic_bench4`` on local
PostgreSQL). Prints median, p95 and minimum latency over the in-process Django stack for the
admin index, the diary week for every practitioner (a fully booked week and an unbooked one),
the appointment list and the dashboard, taking turns; each page's ratio to the index (median
to median, minimum to minimum); then the SQL queries each page makes.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

# Run as a script: import the project from its root, not from bench/
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench.booking_common import clinic_create, fresh_database, history_create  # noqa: E402

REQUESTS = 60


def timed(client, cases: list[tuple[str, str]]) -> dict[str, list[float]]:
    """Each page's latencies, sorted. The pages take turns, one request each per round, so a
    change in the machine's load during the run falls on every page alike and the ratios to
    the index stay fair (timing one page after another made them swing with the load)."""
    for _label, url in cases:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        for _ in range(5):  # warm up
            client.get(url)
    timings: dict[str, list[float]] = {label: [] for label, _url in cases}
    for _ in range(REQUESTS):
        for label, url in cases:
            started = time.perf_counter()
            client.get(url)
            timings[label].append((time.perf_counter() - started) * 1000)
    return {label: sorted(values) for label, values in timings.items()}


def staff_client():
    """A client signed in as the clinic's superuser with a verified TOTP device, as
    ``tests/conftest.py``'s ``login_staff`` does (the OTP check itself is not what is timed)."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    # No password: the session is made directly, and nobody can sign in as this user.
    user = get_user_model().objects.create_user(
        username="bench", password=None, is_staff=True, is_superuser=True
    )
    device = TOTPDevice.objects.create(user=user, name="Bench", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--history", type=int, default=0, help="past appointments to add")
    args = parser.parse_args()

    # Pages link to static files by name; no collectstatic manifest is needed to time them.
    # (Set before Django starts: replacing STORAGES afterwards is too late once the storage
    # has been used, as the migrations do.)
    os.environ["STATIC_MANIFEST"] = "false"
    fresh_database()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    today = timezone.localdate()
    clinic_create(practitioners=10, appointments=2000, first_day=today + timedelta(days=1))
    if args.history:
        history_create(appointments=args.history, before=today)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client = staff_client()

    from bookings.models import Appointment

    print(f"appointments in the table: {Appointment.objects.count()}")
    # The bookings fill every half hour from tomorrow for about two and a half weeks: next week
    # is full (840 appointments), and four weeks on nobody is booked (1,680 free 15-minute
    # times).
    monday = today + timedelta(days=7 - today.weekday())
    open_monday = monday + timedelta(weeks=4)
    cases = [
        ("admin index", reverse("admin:index")),
        (
            "diary week, 10 practitioners, fully booked",
            reverse("admin:bookings_appointment_diary") + f"?view=week&date={monday}",
        ),
        (
            "diary week, 10 practitioners, all free",
            reverse("admin:bookings_appointment_diary") + f"?view=week&date={open_monday}",
        ),
        ("appointment list", reverse("admin:bookings_appointment_changelist")),
        ("dashboard", reverse("admin:bookings_appointment_dashboard")),
    ]
    results = timed(client, cases)
    index = results["admin index"]
    for label, timings in results.items():
        median = statistics.median(timings)
        print(
            f"{label}: median {median:.1f} ms, p95 {timings[int(len(timings) * 0.95)]:.1f} ms, "
            f"min {timings[0]:.1f} ms ({median / statistics.median(index):.1f}x the index's "
            f"median, {timings[0] / index[0]:.1f}x its minimum)"
        )
    for label, target in cases:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(target).status_code == 200
        print(f"SQL queries, {label}: {len(queries)}")


if __name__ == "__main__":
    main()
