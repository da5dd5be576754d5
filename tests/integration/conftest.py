"""Real services for integration tests: an SMTP server, Redis servers and a Celery worker.

* ``smtp`` is an aiosmtpd server on a free loopback port that keeps every message it accepts,
  and can be told to misbehave: answer 451 for a while, or stall in the middle of a send.
* ``celery_worker`` starts ``celery -A clinic worker`` as a subprocess on the Redis broker and
  the same PostgreSQL test database the live server uses, sending through ``smtp``.
* ``private_redis`` is a redis-server of the test's own on another port, for outage tests
  (the machine's shared Redis is never stopped).
"""

import asyncio
import contextlib
import email
import email.policy
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from kombu import pools as kombu_pools

from clinic.celery import app as celery_app
from tests.conftest import ROOT, redis_url

CELERY = Path(sys.executable).with_name("celery")
STAFF = ["reception@clinic.test", "physio@clinic.test"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, *, timeout: float, interval: float = 0.05, message: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message or predicate}")


# --- SMTP -------------------------------------------------------------------------------------


@dataclass
class Received:
    message_id: str
    envelope_to: list[str]
    subject: str
    reply_to: str
    accepted_at: float
    message: email.message.EmailMessage


@dataclass
class SmtpSink:
    """What the SMTP handler does and has received. Changed by tests while it runs."""

    received: list[Received] = field(default_factory=list)
    refuse_until: float = 0.0  # time.time() before which DATA is answered 451
    refusals: int = 0
    stall_rcpt_once: float = 0.0  # seconds to stall at the next RCPT, before any data
    stall_data_once: float = 0.0  # seconds to stall after storing the data, before the 250
    stalled: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    port: int = 0

    # aiosmtpd handler hooks ----------------------------------------------------------------
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.stall_rcpt_once:
            delay, self.stall_rcpt_once = self.stall_rcpt_once, 0.0
            self.stalled.set()
            await asyncio.sleep(delay)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if time.time() < self.refuse_until:
            self.refusals += 1
            return "451 4.3.0 Mail server busy, try again later"
        # Like a real MTA, the message is ours once the data is in: it counts as delivered
        # whether or not the client is still there to hear the 250.
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.received.append(
                Received(
                    message_id=str(parsed["Message-ID"]),
                    envelope_to=list(envelope.rcpt_tos),
                    subject=str(parsed["Subject"]),
                    reply_to=str(parsed["Reply-To"] or ""),
                    accepted_at=time.time(),
                    message=parsed,
                )
            )
        if self.stall_data_once:
            # A slow disk, say: the message is stored but the 250 has not gone out yet.
            delay, self.stall_data_once = self.stall_data_once, 0.0
            self.stalled.set()
            await asyncio.sleep(delay)
        return "250 Message accepted for delivery"

    # test helpers --------------------------------------------------------------------------
    def to(self, address: str) -> list[Received]:
        with self.lock:
            return [r for r in self.received if address in r.envelope_to]

    def by_message_id(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        with self.lock:
            for r in self.received:
                counts[r.message_id] = counts.get(r.message_id, 0) + 1
        return counts

    def wait_for(self, count: int, *, timeout: float = 20) -> list[Received]:
        wait_until(lambda: len(self.received) >= count, timeout=timeout, message=f"{count} emails")
        return list(self.received)


@pytest.fixture
def smtp():
    sink = SmtpSink(port=free_port())
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port, ready_timeout=5)
    controller.start()
    yield sink
    controller.stop()


# --- Redis ------------------------------------------------------------------------------------


class RedisServer:
    """A redis-server of our own, which a test may stop and start again."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)
        wait_until(lambda: _ping(client), timeout=10, message="redis-server to start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)  # a paused server cannot act on TERM
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def pause(self) -> None:
        """Hang the server (SIGSTOP): connections are still accepted, nothing is answered."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)


def _ping(client) -> bool:
    import redis

    try:
        return bool(client.ping())
    except redis.RedisError:
        return False


@pytest.fixture
def private_redis(tmp_path):
    if not shutil.which("redis-server") and not Path("/usr/bin/redis-server").exists():
        pytest.skip("redis-server is not installed")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@contextlib.contextmanager
def publishing_to(broker_url: str):
    """Point this process's Celery producer (the live server's) at another broker."""

    def reset() -> None:
        kombu_pools.reset()  # closes and forgets every pooled connection and producer
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    previous = celery_app.conf.broker_url
    reset()
    celery_app.conf.broker_url = broker_url
    try:
        yield
    finally:
        reset()
        celery_app.conf.broker_url = previous


# --- Celery worker ----------------------------------------------------------------------------


class CeleryWorker:
    """``celery -A clinic worker`` in a subprocess, with one pool process."""

    def __init__(self, *, broker_url: str, smtp_port: int, log_path: Path) -> None:
        self.broker_url = broker_url
        self.smtp_port = smtp_port
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def env(self) -> dict[str, str]:
        db = connection.settings_dict
        user = urllib.parse.quote(db["USER"] or "")
        password = f":{urllib.parse.quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
        database_url = f"postgres://{user}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
        return {
            **os.environ,
            "DATABASE_URL": database_url,
            "DATABASE_CONN_MAX_AGE": "0",
            "REDIS_URL": self.broker_url,
            "CELERY_BROKER_URL": self.broker_url,
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp_port),
            "EMAIL_USE_TLS": "false",
            "EMAIL_TIMEOUT": "10",
            "NOTIFICATION_RETRY_BASE_SECONDS": "0.2",
            "NOTIFICATION_RETRY_MAX_SECONDS": "1",
            "NOTIFICATION_MAX_ATTEMPTS": "10",
            "LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
        }

    def start(self) -> None:
        self.log = self.log_path.open("a")
        started = self.log_path.stat().st_size
        self.process = subprocess.Popen(
            [
                str(CELERY),
                "-A",
                "clinic",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"h3-test-{uuid.uuid4().hex[:8]}@%h",
            ],
            cwd=ROOT,
            env=self.env(),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

        def ready() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"worker exited:\n{self.output()}")
            with self.log_path.open() as log:
                log.seek(started)
                return " ready." in log.read()

        wait_until(ready, timeout=40, interval=0.1, message="the Celery worker to be ready")

    def output(self) -> str:
        return self.log_path.read_text()[-5000:]

    def pool_children(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()]

    def kill_pool_process(self) -> int:
        """SIGKILL the pool process running the task, as the OOM killer would."""
        [child] = self.pool_children()
        os.kill(child, signal.SIGKILL)
        return child

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        self.log.close()


@pytest.fixture
def start_worker(transactional_db, tmp_path):
    """A factory: ``start_worker(broker_url=..., smtp=...)`` starts a worker, stopped after."""
    workers: list[CeleryWorker] = []

    def start(*, smtp: SmtpSink, broker_url: str | None = None) -> CeleryWorker:
        worker = CeleryWorker(
            broker_url=broker_url or redis_url(),
            smtp_port=smtp.port,
            log_path=tmp_path / f"worker-{len(workers)}.log",
        )
        worker.log_path.touch()
        workers.append(worker)
        worker.start()
        return worker

    yield start
    for worker in workers:
        worker.stop()


# --- Figures -----------------------------------------------------------------------------------

CHAOS_FIGURES = pytest.StashKey[list]()


@pytest.fixture
def chaos_figures(request):
    """A dict a chaos scenario fills with its figures: printed after the run, passed or not."""
    figures: dict = {}
    started = time.monotonic()
    yield figures
    figures["seconds"] = round(time.monotonic() - started, 1)
    request.config.stash.setdefault(CHAOS_FIGURES, []).append((request.node.name, figures))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    runs = config.stash.get(CHAOS_FIGURES, [])
    if runs:
        terminalreporter.section("chaos figures")
        for name, figures in runs:
            terminalreporter.write_line(
                f"{name}: " + " ".join(f"{key}={value}" for key, value in figures.items())
            )


@pytest.fixture
def site(live_server, settings):
    """The live server set up as the clinic would be, with an HTTP client for the form."""
    settings.STAFF_NOTIFICATION_EMAILS = STAFF
    settings.SITE_URL = live_server.url
    settings.RATELIMIT_ENABLE = False
    return ContactSite(live_server.url)


# --- HTTP -------------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class ContactSite:
    """Posts the contact form over real HTTP, as a browser would (cookie, CSRF token)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def csrf_token(self) -> str:
        with self.opener.open(self.base_url + "/contact/", timeout=10) as response:
            html = response.read().decode()
        marker = 'name="csrfmiddlewaretoken" value="'
        start = html.index(marker) + len(marker)
        return html[start : html.index('"', start)]

    def post(self, **fields) -> tuple[int, str, float]:
        """POST the form; returns (status, Location, seconds taken)."""
        data = {
            "name": "Ann Patient",
            "email": "ann@example.com",
            "preferred_contact": "email",
            "message": "My back hurts when I sit for long.",
            "privacy_acknowledged": "on",
            "csrfmiddlewaretoken": self.csrf_token(),
            **fields,
        }
        request = urllib.request.Request(  # noqa: S310 (http URL we built)
            self.base_url + "/contact/",
            data=urllib.parse.urlencode(data).encode(),
            headers={"Referer": self.base_url + "/contact/"},
            method="POST",
        )
        started = time.monotonic()
        try:
            response = self.opener.open(request, timeout=30)
            status, location = response.status, response.headers.get("Location", "")
            response.read()
        except urllib.error.HTTPError as exc:
            status, location = exc.code, exc.headers.get("Location", "")
        return status, location, time.monotonic() - started
