"""Helpers for the chaos suite: gunicorn serving the test database, and a mixed load.

``Gunicorn`` runs the real site (``DEBUG=false``) in a subprocess against the PostgreSQL test
database and a Redis of the test's own, so that the test can stop Redis, kill the worker or
terminate PostgreSQL connections while ``MixedLoad`` threads read pages and slots, book through
the API and post the contact form, recording every answer.
"""

import http.client
import http.cookies
import itertools
import json
import os
import re
import secrets
import subprocess
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import connection

from tests.conftest import ROOT

from .conftest import STAFF, free_port, wait_until

GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
APPLICATION_NAME = "clinic-chaos-web"
LONDON = ZoneInfo("Europe/London")


def database_url(application_name: str = "") -> str:
    db = connection.settings_dict
    user = urllib.parse.quote(db["USER"] or "")
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    url = f"postgres://{user}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    return f"{url}?application_name={application_name}" if application_name else url


class Gunicorn:
    def __init__(self, *, redis_url: str, smtp_port: int, log_path: Path) -> None:
        self.port = free_port()
        self.redis_url = redis_url
        self.smtp_port = smtp_port
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        dropped = ("DJANGO_ALLOW_ASYNC_UNSAFE",)
        return {
            **{k: v for k, v in os.environ.items() if k not in dropped},
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "STATIC_MANIFEST": "false",
            "SITE_URL": self.base_url,
            "DATABASE_URL": database_url(APPLICATION_NAME),
            "DATABASE_CONN_MAX_AGE": "60",
            "REDIS_URL": self.redis_url,
            "CELERY_BROKER_URL": self.redis_url,
            "REDIS_BREAKER_SECONDS": "1",
            "RATE_LIMITS_ENABLED": "false",
            # No closed days: every time the load books is bookable, so any 4xx is a fault.
            "CLINIC_BANK_HOLIDAYS": "",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp_port),
            "EMAIL_USE_TLS": "false",
            "STAFF_NOTIFICATION_EMAILS": ",".join(STAFF),
            "LOG_LEVEL": "WARNING",
            "LOG_FORMAT": "text",
            "PYTHONUNBUFFERED": "1",
        }

    def start(self) -> None:
        self.log = self.log_path.open("a")
        self.process = subprocess.Popen(
            [
                str(GUNICORN),
                "clinic.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--timeout",
                "30",
            ],
            cwd=ROOT,
            env=self.env(),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

        def up() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited:\n{self.output()}")
            try:
                return request(self.base_url, "GET", "/health/live/").status == 200
            except OSError:
                return False

        wait_until(up, timeout=30, interval=0.2, message="gunicorn to answer")

    def output(self) -> str:
        return self.log_path.read_text()[-8000:]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait(timeout=5)
        self.log.close()


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    cookies: list[str]
    body: bytes


def request(base_url, method, path, *, body=b"", headers=None, cookies=None) -> Answer:
    """One request on a fresh connection; cookies sent by hand (the site's are Secure)."""
    parsed = urllib.parse.urlsplit(base_url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    try:
        all_headers = {"Host": "127.0.0.1", **(headers or {})}
        if cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        conn.request(method, path, body=body, headers=all_headers)
        response = conn.getresponse()
        content = response.read()
        return Answer(
            response.status,
            {k.lower(): v for k, v in response.getheaders()},
            response.headers.get_all("Set-Cookie") or [],
            content,
        )
    finally:
        conn.close()


def bookable_slots(*, practitioners: list[str], days: int = 14) -> list[tuple[str, str]]:
    """(practitioner slug, start) pairs that never overlap for a 45-minute service."""
    slots = []
    first = datetime.now(tz=LONDON).date() + timedelta(days=2)
    for offset in range(days):
        day = first + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for hour, slug in itertools.product((9, 10, 11, 12, 14, 15, 16), practitioners):
            start = datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)
            slots.append((slug, start.isoformat()))
    return slots


@dataclass
class Record:
    kind: str
    status: int
    body: bytes
    at: float
    ms: float = 0.0


@dataclass
class MixedLoad:
    """Threads that read pages and slots, book and write to the clinic until stopped."""

    base_url: str
    article_path: str
    slots: list[tuple[str, str]]
    threads: int = 3
    max_bookings: int = 120
    max_contacts: int = 45
    # Paced whatever the machine's speed, so that writes happen in every phase of a scenario.
    booking_interval: float = 0.1
    contact_interval: float = 0.3
    records: list[Record] = field(default_factory=list)
    booked: list[str] = field(default_factory=list)
    contacted: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._slots = iter(self.slots)
        self._workers: list[threading.Thread] = []
        self._contact_numbers = itertools.count()
        self._next = {"book": 0.0, "contact": 0.0}

    def _due(self, kind: str, interval: float) -> bool:
        """Whether a write of ``kind`` is due now (and if so, book the next one)."""
        with self._lock:
            now = time.monotonic()
            if now < self._next[kind]:
                return False
            self._next[kind] = now + interval
            return True

    def _record(self, kind: str, answer: Answer, started: float) -> Answer:
        now = time.monotonic()
        # Error pages are kept whole: the test reads the phone number and advice in them.
        body = answer.body if answer.status >= 500 else answer.body[:2000]
        record = Record(kind, answer.status, body, now, (now - started) * 1000)
        with self._lock:
            self.records.append(record)
        return answer

    def _get(self, kind: str, path: str) -> Answer:
        started = time.monotonic()
        return self._record(kind, request(self.base_url, "GET", path), started)

    def _book(self) -> None:
        if not self._due("book", self.booking_interval):
            return
        with self._lock:
            if len(self.booked) >= self.max_bookings:
                return
            slug, start = next(self._slots)
        body = json.dumps(
            {
                "service": "initial-consultation",
                "practitioner": slug,
                "start": start,
                "name": "Load Patient",
                "email": f"load-{secrets.token_hex(4)}@example.com",
                "phone": "07700 900123",
                "consent": True,
            }
        ).encode()
        started = time.monotonic()
        answer = self._record(
            "book",
            request(
                self.base_url,
                "POST",
                "/api/bookings/",
                body=body,
                headers={"Content-Type": "application/json"},
            ),
            started,
        )
        if answer.status == 201:
            with self._lock:
                self.booked.append(json.loads(answer.body)["reference"])

    def _contact(self) -> None:
        if not self._due("contact", self.contact_interval):
            return
        with self._lock:
            if len(self.contacted) >= self.max_contacts:
                return
        page = self._get("contact-form", "/contact/")
        if page.status != 200:
            return
        cookie = http.cookies.SimpleCookie()
        for header in page.cookies:
            cookie.load(header)
        cookies = {name: morsel.value for name, morsel in cookie.items()}
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1)
        email = f"contact-{next(self._contact_numbers)}-{secrets.token_hex(3)}@example.com"
        form = urllib.parse.urlencode(
            {
                "name": "Load Patient",
                "email": email,
                "preferred_contact": "email",
                "message": "Do you treat sciatica?",
                "privacy_acknowledged": "on",
                "csrfmiddlewaretoken": token.decode(),
            }
        ).encode()
        started = time.monotonic()
        answer = self._record(
            "contact",
            request(
                self.base_url,
                "POST",
                "/contact/",
                body=form,
                headers={"Content-Type": "application/x-www-form-urlencoded"},
                cookies=cookies,
            ),
            started,
        )
        if answer.status == 302:
            with self._lock:
                self.contacted.append(email)

    def _loop(self, number: int) -> None:
        day = self.slots[0][1][:10]
        actions = [
            lambda: self._get("page", "/"),
            lambda: self._get("page", "/articles/"),
            lambda: self._get("page", self.article_path),
            lambda: self._get("page", "/book/"),
            lambda: self._get("slots", f"/api/slots/?service=initial-consultation&date={day}"),
            self._book,
            lambda: self._get("assessment", "/assessment/"),
            self._contact,
        ]
        for action in itertools.cycle(actions[number % len(actions) :] + actions):
            if self._stop.is_set():
                return
            try:
                action()
            except OSError as exc:  # the server refused or dropped the connection
                with self._lock:
                    self.records.append(Record("connection", 0, str(exc).encode(), 0.0))
            time.sleep(0.02)

    def start(self) -> "MixedLoad":
        for number in range(self.threads):
            thread = threading.Thread(target=self._loop, args=(number,), daemon=True)
            thread.start()
            self._workers.append(thread)
        return self

    def stop(self) -> None:
        self._stop.set()
        for thread in self._workers:
            thread.join(timeout=60)

    def statuses(self) -> Counter:
        return Counter(record.status for record in self.records)

    def server_errors(self) -> list[Record]:
        return [record for record in self.records if record.status >= 500 or record.status == 0]

    def client_errors(self) -> list[tuple[str, int, bytes]]:
        """4xx answers: the load only sends valid requests, so each is a fault."""
        return [(r.kind, r.status, r.body[:300]) for r in self.records if 400 <= r.status < 500]

    def between(self, start: float, end: float) -> list[Record]:
        return [record for record in self.records if start <= record.at <= end]

    def figures(self) -> dict:
        kinds = Counter(record.kind for record in self.records)
        return {
            "requests": len(self.records),
            "kinds": dict(sorted(kinds.items())),
            "statuses": dict(sorted(self.statuses().items())),
            "bookings": len(self.booked),
            "contacts": len(self.contacted),
        }
