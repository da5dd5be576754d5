"""Contact form: latency from the POST to the staff email being accepted by the SMTP server.

Starts everything it measures, as in production on this machine: PostgreSQL (a database of its
own), Redis (REDIS_URL), a Celery worker (prefork, 2 processes), the site under gunicorn
(2 workers) and an aiosmtpd server in this process. It posts the form over HTTP N times in each
of three phases: paced (--rate posts a second) on a quiet site; paced while a thread pool
hammers the article list; and back to back as fast as one client can. It reports p50/p95/p99,
lost and duplicate emails (by Message-ID) for each phase.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clinic_h3_bench \
    REDIS_URL=redis://127.0.0.1:6379/3 .venv/bin/python bench/contact_latency.py --messages 200

The Redis database named in REDIS_URL is flushed first: give the benchmark one of its own.
"""

import argparse
import email
import email.policy
import json
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
STAFF = "reception@clinic.test"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Sink:
    """Records when each email was accepted, keyed by the patient address in Reply-To/To."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.staff: dict[str, list[float]] = {}
        self.message_ids: dict[str, int] = {}
        self.total = 0

    async def handle_DATA(self, server, session, envelope):
        accepted = time.time()
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.total += 1
            message_id = str(parsed["Message-ID"])
            self.message_ids[message_id] = self.message_ids.get(message_id, 0) + 1
            if STAFF in envelope.rcpt_tos:
                self.staff.setdefault(str(parsed["Reply-To"]), []).append(accepted)
        return "250 OK"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


class Poster:
    def __init__(self, base: str) -> None:
        self.base = base
        # DEBUG is off, so the CSRF cookie is marked Secure and a cookie jar would not send it
        # back over plain HTTP; the server does not mind, so it is sent by hand.
        self.opener = urllib.request.build_opener()
        with self.opener.open(base + "/contact/", timeout=10) as response:
            html = response.read().decode()
            cookies = response.headers.get_all("Set-Cookie") or []
        self.token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        self.cookie = "; ".join(c.split(";", 1)[0] for c in cookies)

    def post(self, patient_email: str) -> float:
        data = urllib.parse.urlencode(
            {
                "name": "Bench Patient",
                "email": patient_email,
                "preferred_contact": "email",
                "message": "Benchmark message. My lower back is stiff in the mornings.",
                "privacy_acknowledged": "on",
                "csrfmiddlewaretoken": self.token,
            }
        ).encode()
        request = urllib.request.Request(  # noqa: S310 (http URL we built)
            self.base + "/contact/",
            data=data,
            headers={"Referer": self.base + "/contact/", "Cookie": self.cookie},
        )
        started = time.time()
        with self.opener.open(request, timeout=30) as response:
            response.read()
            if not response.url.endswith("/contact/thanks/"):
                raise RuntimeError(f"POST did not reach the thank-you page: {response.url}")
        return started


def hammer(base: str, stop: threading.Event, counter: list[int]) -> None:
    while not stop.is_set():
        try:
            with urllib.request.urlopen(base + "/articles/", timeout=30) as response:  # noqa: S310
                response.read()
            counter.append(1)
        except OSError:
            pass


def run_phase(
    name: str, base: str, sink: Sink, messages: int, load_threads: int, rate: float
) -> dict:
    stop = threading.Event()
    counter: list[int] = []
    pool = ThreadPoolExecutor(max_workers=max(1, load_threads))
    for _ in range(load_threads):
        pool.submit(hammer, base, stop, counter)
    time.sleep(1 if load_threads else 0)

    poster = Poster(base)
    sent_at: dict[str, float] = {}
    post_seconds: list[float] = []
    load_started = time.time()
    for i in range(messages):
        if rate:
            time.sleep(max(0.0, load_started + i / rate - time.time()))
        patient = f"bench-{name}-{i}@example.com"
        started = poster.post(patient)
        post_seconds.append(time.time() - started)
        sent_at[patient] = started
    posting_done = time.time()

    deadline = time.time() + 60
    while time.time() < deadline:
        with sink.lock:
            if all(patient in sink.staff for patient in sent_at):
                break
        time.sleep(0.1)
    time.sleep(2)  # let any duplicate arrive before counting
    stop.set()
    pool.shutdown(wait=True)
    elapsed = time.time() - load_started

    with sink.lock:
        latencies = [sink.staff[p][0] - t for p, t in sent_at.items() if p in sink.staff]
        lost = sum(1 for p in sent_at if p not in sink.staff)
        staff_duplicates = sum(len(sink.staff[p]) - 1 for p in sent_at if p in sink.staff)
    return {
        "phase": name,
        "messages": messages,
        "load_threads": load_threads,
        "posts_per_second": rate or "as fast as possible",
        "article_requests_per_second": round(len(counter) / elapsed, 1),
        "post_p50_ms": round(statistics.median(post_seconds) * 1000, 1),
        "post_p95_ms": round(percentile(post_seconds, 95) * 1000, 1),
        "latency_p50_ms": round(percentile(latencies, 50) * 1000, 1),
        "latency_p95_ms": round(percentile(latencies, 95) * 1000, 1),
        "latency_p99_ms": round(percentile(latencies, 99) * 1000, 1),
        "latency_max_ms": round(max(latencies) * 1000, 1),
        "lost": lost,
        "staff_duplicates": staff_duplicates,
        "posting_seconds": round(posting_done - load_started, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--load-threads", type=int, default=4)
    parser.add_argument(
        "--rate", type=float, default=10, help="Posts per second in the paced phases."
    )
    args = parser.parse_args()

    database_url = os.environ.get(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/clinic_h3_bench"
    )
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/3")
    smtp_port, web_port = free_port(), free_port()
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_MANIFEST": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "false",
        "STAFF_NOTIFICATION_EMAILS": STAFF,
        "RATE_LIMITS_ENABLED": "false",
        "LOG_LEVEL": "WARNING",
    }

    db_name = database_url.rsplit("/", 1)[1]
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f'CREATE DATABASE "{db_name}"'],
        capture_output=True,
        check=False,
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
    )
    subprocess.run(
        [sys.executable, "manage.py", "seed_demo"],
        cwd=ROOT,
        env=env,
        check=False,
        capture_output=True,
    )
    import redis

    redis.Redis.from_url(redis_url).flushdb()

    log = (ROOT / "var" / "bench-contact-worker.log").open("w")
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    worker = subprocess.Popen(
        [
            str(BIN / "celery"),
            "-A",
            "clinic",
            "worker",
            "--pool=prefork",
            "--concurrency=2",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            "h3-bench@%h",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    web = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "clinic.wsgi",
            f"--bind=127.0.0.1:{web_port}",
            "--workers=2",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{web_port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/contact/", timeout=1)  # noqa: S310
                break
            except (OSError, urllib.error.URLError):
                time.sleep(0.1)
        time.sleep(3)  # the worker's start-up
        Poster(base).post("bench-warmup@example.com")
        time.sleep(2)
        results = [
            run_phase("quiet", base, sink, args.messages, 0, args.rate),
            run_phase("under-load", base, sink, args.messages, args.load_threads, args.rate),
            run_phase("flat-out", base, sink, args.messages, 0, 0),
        ]
        with sink.lock:
            duplicates = sum(count - 1 for count in sink.message_ids.values())
            total = sink.total
        summary = {
            "results": results,
            "emails_received": total,
            "duplicate_message_ids": duplicates,
        }
        print(json.dumps(summary, indent=2))
        out = ROOT / "bench" / "out"
        out.mkdir(exist_ok=True)
        (out / "contact_latency.json").write_text(json.dumps(summary, indent=2) + "\n")
    finally:
        for process in (web, worker):
            os.killpg(process.pid, signal.SIGTERM)
        for process in (web, worker):
            process.wait(timeout=20)
        controller.stop()


if __name__ == "__main__":
    main()
