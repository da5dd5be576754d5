"""Benchmark: GET /api/slots/ with 10 practitioners and 2,000 upcoming bookings, optionally
with years of past appointments in the same table.

    .venv/bin/python bench/slots.py                     # from the project root
    .venv/bin/python bench/slots.py --history 120000    # plus four years of attended visits
    .venv/bin/python bench/slots.py --history 120000 --unbounded   # the query before issue 12

Recreates the database ``BENCH_DATABASE_URL`` (default ``clinic_bench4`` on local
PostgreSQL). Prints median and p95 latency over the in-process Django stack (middleware, view,
selector, JSON) for one practitioner-day, the month for all ten practitioners, and a trivial
JSON view through the same middleware (the floor); then the SQL query counts.
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
os.environ["ROOT_URLCONF"] = "bench.urls"  # adds the trivial views

from bench.booking_common import clinic_create, fresh_database, history_create  # noqa: E402

REQUESTS = 200


def timed(client, url: str) -> list[float]:
    assert client.get(url).status_code == 200, url
    for _ in range(20):  # warm up
        client.get(url)
    timings = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return sorted(timings)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--history", type=int, default=0, help="past appointments to add")
    parser.add_argument(
        "--unbounded",
        action="store_true",
        help="search busy time without the lower bound on start (the query before issue 12)",
    )
    args = parser.parse_args()

    fresh_database()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    first_day = timezone.localdate() + timedelta(days=1)
    clinic_create(practitioners=10, appointments=2000, first_day=first_day)
    if args.history:
        history_create(appointments=args.history, before=timezone.localdate())
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    if args.unbounded:
        from bookings.models import AppointmentQuerySet

        AppointmentQuerySet.blocking = lambda self, start, end: self.filter(
            start__lt=end, blocked_until__gt=start
        )
    client = Client()

    def url(days: int, practitioner: str = "") -> str:
        query = f"/api/slots/?service=initial-consultation&date={first_day}&days={days}"
        return query + (f"&practitioner={practitioner}" if practitioner else "")

    from bookings.models import Appointment

    print(f"appointments in the table: {Appointment.objects.count()}")
    cases = [
        ("trivial JSON view (floor)", "/bench/noop.json"),
        ("1 practitioner, 1 day", url(1, "practitioner-0")),
        ("10 practitioners, 31 days", url(31)),
    ]
    for label, target in cases:
        timings = timed(client, target)
        print(
            f"{label}: median {statistics.median(timings):.2f} ms, "
            f"p95 {timings[int(len(timings) * 0.95)]:.2f} ms, min {timings[0]:.2f} ms"
        )

    for label, target in [
        ("31 days, any of 10 practitioners", url(31)),
        ("1 day, any of 10 practitioners", url(1)),
        ("31 days, 1 practitioner", url(31, "practitioner-0")),
        ("1 day, 1 practitioner", url(1, "practitioner-0")),
    ]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(target).status_code == 200
        print(f"SQL queries, {label}: {len(queries)}")


if __name__ == "__main__":
    main()
