"""Benchmark: POST /api/bookings/ throughput, without and with contention, on PostgreSQL.

    .venv/bin/python bench/booking_post.py   # from the project root

Recreates the database ``BENCH_DATABASE_URL`` (default ``clinic_bench4``) with 10
practitioners and 2,000 existing appointments, rate limits off. Runs the Django stack
in-process in 8 threads, each with its own database connection:

* one at a time, for the latency of a single booking;
* without contention: every request books a different, non-overlapping slot (all 201);
* with contention: requests come in groups of 8 released together at the same practitioner
  and start (one 201 and seven 409 per group).

Emails are queued in the booking transaction and sent in-process after commit (Celery eager,
to memory), as in a developer's setup; with a broker that work leaves the request.
"""

import json
import statistics
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench.booking_common import clinic_create, fresh_database  # noqa: E402

THREADS = 8
SEQUENTIAL = 60
UNCONTENDED = 240
GROUPS = 30


def main() -> None:
    fresh_database()
    from django.db import connections
    from django.test import Client
    from django.utils import timezone

    from bookings.selectors import slot_list_available

    first_day = timezone.localdate() + timedelta(days=1)
    service, _people = clinic_create(practitioners=10, appointments=2000, first_day=first_day)
    free = slot_list_available(
        service=service, first_day=first_day, last_day=first_day + timedelta(days=30)
    )
    # Non-overlapping slots: at most one per practitioner per 60 minutes (45 + 15 buffer).
    separate, held = [], {}
    for slot in free:
        if slot.start >= held.get(slot.practitioner, slot.start):
            separate.append(slot)
            held[slot.practitioner] = slot.start + timedelta(minutes=60)
    assert len(separate) >= SEQUENTIAL + UNCONTENDED + GROUPS, len(separate)
    local = threading.local()

    def post(slot, email: str) -> tuple[int, float]:
        client = getattr(local, "client", None) or Client()
        local.client = client
        body = {
            "service": service.slug,
            "practitioner": slot.practitioner.slug,
            "start": slot.start.isoformat(),
            "name": "Bench Patient",
            "email": email,
            "phone": "07700 900123",
            "consent": True,
        }
        started = time.perf_counter()
        response = client.post(
            "/api/bookings/", data=json.dumps(body), content_type="application/json"
        )
        return response.status_code, (time.perf_counter() - started) * 1000

    def run(tasks) -> tuple[list[tuple[int, float]], float]:
        started = time.perf_counter()
        with ThreadPoolExecutor(THREADS) as pool:
            results = list(pool.map(lambda task: task(), tasks))
        elapsed = time.perf_counter() - started
        connections.close_all()
        return results, elapsed

    def report(label: str, results, elapsed: float) -> None:
        statuses = Counter(status for status, _ in results)
        by_status = {
            status: statistics.median(ms for s, ms in results if s == status) for status in statuses
        }
        medians = ", ".join(f"{s}: median {ms:.0f} ms" for s, ms in sorted(by_status.items()))
        print(
            f"{label}: {len(results)} requests in {elapsed:.2f} s = "
            f"{len(results) / elapsed:.0f} requests/s; statuses {dict(statuses)}; {medians}"
        )

    sequential = separate[:SEQUENTIAL]
    started = time.perf_counter()
    results = [post(slot, f"s{n}@example.com") for n, slot in enumerate(sequential)]
    report("one at a time", results, time.perf_counter() - started)

    plain = [
        (lambda slot=slot, n=n: post(slot, f"u{n}@example.com"))
        for n, slot in enumerate(separate[SEQUENTIAL : SEQUENTIAL + UNCONTENDED])
    ]
    report(f"no contention ({THREADS} threads)", *run(plain))

    contended = []
    for group, slot in enumerate(
        separate[SEQUENTIAL + UNCONTENDED : SEQUENTIAL + UNCONTENDED + GROUPS]
    ):
        barrier = threading.Barrier(THREADS)

        def task(slot=slot, barrier=barrier, email=f"c{group}@example.com"):
            barrier.wait()
            return post(slot, email)

        contended.extend([task] * THREADS)
    report(f"contention ({THREADS} at each slot)", *run(contended))


if __name__ == "__main__":
    main()
