"""Benchmark: GET /api/slots/ for 31 days, any practitioner, 10 practitioners, 2,000 bookings.

    .venv/bin/python bench/slots.py   # from the project root

Recreates the database ``BENCH_DATABASE_URL`` (default ``clinic_bench4`` on local
PostgreSQL). Prints the median and p95 latency over the in-process Django stack
(middleware, view, selector, JSON) and the SQL query count for 1 and 10 practitioners and for 1
and 31 days, to show that the count does not grow.
"""

import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

# Run as a script: import the project from its root, not from bench/
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench.booking_common import clinic_create, fresh_database  # noqa: E402

REQUESTS = 200


def main() -> None:
    fresh_database()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    first_day = timezone.localdate() + timedelta(days=1)
    clinic_create(practitioners=10, appointments=2000, first_day=first_day)
    client = Client()

    def url(days: int, practitioner: str = "") -> str:
        query = f"/api/slots/?service=initial-consultation&date={first_day}&days={days}"
        return query + (f"&practitioner={practitioner}" if practitioner else "")

    response = client.get(url(31))
    assert response.status_code == 200, response.content
    slot_count = len(response.json()["slots"])
    for _ in range(20):  # warm up
        client.get(url(31))
    timings = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        client.get(url(31))
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()

    counts = {}
    for label, target in [
        ("31 days, any of 10 practitioners", url(31)),
        ("1 day, any of 10 practitioners", url(1)),
        ("31 days, 1 practitioner", url(31, "practitioner-0")),
        ("1 day, 1 practitioner", url(1, "practitioner-0")),
    ]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(target).status_code == 200
        counts[label] = len(queries)

    print(f"slots returned (31 days, any): {slot_count}")
    print(
        f"latency over {REQUESTS} requests: median {statistics.median(timings):.1f} ms, "
        f"p95 {timings[int(len(timings) * 0.95)]:.1f} ms, min {timings[0]:.1f} ms"
    )
    for label, count in counts.items():
        print(f"SQL queries, {label}: {count}")


if __name__ == "__main__":
    main()
