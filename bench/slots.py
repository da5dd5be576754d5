"""Benchmark: GET /api/slots/ with 10 practitioners and 2,000 upcoming bookings, optionally
with years of past appointments in the same table, in-process and through gunicorn.

    .venv/bin/python bench/slots.py                     # from the project root
    .venv/bin/python bench/slots.py --history 120000    # plus four years of attended visits
    .venv/bin/python bench/slots.py --history 120000 --http   # also through gunicorn over HTTP
    .venv/bin/python bench/slots.py --history 120000 --http-only --reuse

Recreates the database ``BENCH_DATABASE_URL`` (default ``clinic_bench4`` on local PostgreSQL;
``--reuse`` keeps it when it already holds the same diary). Times four requests: a trivial JSON
view through the same middleware (the floor), one practitioner-day (the first, fully booked,
and one three weeks on with free time), and the month (31 days) for all ten practitioners.
The requests take turns in rounds, so a change in the machine's load falls on all of them
alike; each figure is the median, p95 and minimum over every round.

- In-process (the default): the Django test client, the whole middleware stack, no network. The
  process's CPU time per request is printed too: it moves less than wall time when others share
  the machine.
- ``--http``: gunicorn with 2 sync workers on a free local port, ``DEBUG=false``, one client
  on a keep-alive connection (gunicorn's sync worker closes it after each response, so each
  request opens a new TCP connection, as the issue's measurement did). The workers' CPU time
  per request comes from /proc.

Then the SQL queries each request makes.
"""

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

# Run as a script: import the project from its root, not from bench/
sys.path[0] = str(Path(__file__).resolve().parent.parent)
os.environ["ROOT_URLCONF"] = "bench.urls"  # adds the trivial views

from bench.booking_common import (  # noqa: E402
    clinic_create,
    database_url,
    fresh_database,
    history_create,
    quiet_logs,
)

ROUNDS = 20
PER_ROUND = 15
WARM_UP = 30


def summary(label: str, wall: list[float], cpu: list[float], floor: float | None) -> str:
    wall = sorted(wall)
    median = statistics.median(wall)
    ratio = f", {median / floor:.1f}x the floor's median" if floor else ""
    return (
        f"{label}: median {median:.2f} ms, p95 {wall[int(len(wall) * 0.95)]:.2f} ms, "
        f"min {wall[0]:.2f} ms; CPU {statistics.fmean(cpu):.2f} ms per request{ratio}"
    )


def rounds(cases, request, cpu_now) -> dict[str, tuple[list[float], list[float]]]:
    """Time every case ``PER_ROUND`` times in each of ``ROUNDS`` rounds, taking turns.

    Returns each case's wall times (ms, one per request) and CPU times (ms per request, one
    per round: the CPU clock is too coarse to read around one request; the mean is reported).
    """
    for _label, target in cases:
        for _ in range(WARM_UP):
            request(target)
    results = {label: ([], []) for label, _ in cases}
    for _ in range(ROUNDS):
        for label, target in cases:
            wall, cpu = results[label]
            cpu_started = cpu_now()
            for _ in range(PER_ROUND):
                started = time.perf_counter()
                request(target)
                wall.append((time.perf_counter() - started) * 1000)
            cpu.append((cpu_now() - cpu_started) * 1000 / PER_ROUND)
    return results


def report(title: str, cases, results) -> None:
    print(f"\n{title}")
    floor = None
    for label, _target in cases:
        wall, cpu = results[label]
        print(summary(label, wall, cpu, floor))
        floor = floor or statistics.median(wall)


def in_process(cases) -> None:
    from django.test import Client

    client = Client()

    def request(target: str) -> None:
        response = client.get(target)
        assert response.status_code == 200, (target, response.status_code)

    results = rounds(cases, request, time.process_time)
    report("In-process (Django test client, whole middleware stack):", cases, results)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def listening_pids(port: int) -> list[int]:
    """The processes holding the listening socket: gunicorn's master and its workers."""
    listing = subprocess.run(
        ["ss", "-Hltnp", f"sport = :{port}"], capture_output=True, text=True, check=True
    ).stdout
    pids = sorted({int(pid) for pid in re.findall(r"pid=(\d+)", listing)})
    if not pids:
        raise RuntimeError(f"no process found listening on port {port}")
    return pids


def process_cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def over_http(cases) -> None:
    from bench.common import bench_env, gunicorn

    port = free_port()
    env = bench_env(DATABASE_URL=database_url())
    with gunicorn(env, port=port, workers=2) as _base:
        workers = listening_pids(port)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        headers = {"Connection": "keep-alive", "Accept": "application/json"}

        def request(target: str) -> None:
            connection.request("GET", target, headers=headers)
            response = connection.getresponse()
            response.read()
            assert response.status == 200, (target, response.status)

        results = rounds(cases, request, lambda: process_cpu_seconds(workers))
        connection.close()
    report(
        f"Over HTTP (gunicorn, 2 sync workers, port {port}; CPU is the workers' together):",
        cases,
        results,
    )


def diary_present(first_day, history: int) -> bool:
    """Whether the benchmark database already holds this diary (for ``--reuse``)."""
    from django.db.utils import OperationalError, ProgrammingError

    try:
        from bookings.models import Appointment

        first = Appointment.objects.filter(reference="B0000000").values_list("start", flat=True)
        return [start.date() for start in first] == [first_day] and Appointment.objects.filter(
            reference__startswith="H"
        ).count() == history
    except (OperationalError, ProgrammingError):
        return False


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--history", type=int, default=0, help="past appointments to add")
    parser.add_argument("--http", action="store_true", help="also time through gunicorn")
    parser.add_argument("--http-only", action="store_true", help="time through gunicorn only")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database if it holds the same diary"
    )
    args = parser.parse_args()

    import django

    database_url()
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    first_day = timezone.localdate() + timedelta(days=1)
    if not (args.reuse and diary_present(first_day, args.history)):
        fresh_database()
        clinic_create(practitioners=10, appointments=2000, first_day=first_day)
        if args.history:
            history_create(appointments=args.history, before=timezone.localdate())
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        quiet_logs()

    def url(days: int, practitioner: str = "", day=first_day) -> str:
        query = f"/api/slots/?service=initial-consultation&date={day}&days={days}"
        return query + (f"&practitioner={practitioner}" if practitioner else "")

    from bookings.models import Appointment

    print(f"appointments in the table: {Appointment.objects.count()}, first day {first_day}")
    # The first days are fully booked (2,000 appointments fill about 14 working days), so
    # the first practitioner-day offers nothing; a day three weeks on is free.
    free_day = first_day + timedelta(days=21)
    free_day += timedelta(days=1) if free_day.weekday() == 6 else timedelta(0)
    cases = [
        ("trivial JSON view (floor)", "/bench/noop.json"),
        ("1 practitioner, 1 day", url(1, "practitioner-0")),
        ("1 practitioner, 1 free day", url(1, "practitioner-0", day=free_day)),
        ("10 practitioners, 31 days", url(31)),
    ]
    client = Client()
    for label, target in cases[1:]:
        print(f"{label}: {len(client.get(target).json()['slots'])} slots")
    if not args.http_only:
        in_process(cases)
    if args.http or args.http_only:
        connection.close()  # gunicorn's workers bring their own
        over_http(cases)

    print()
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
