"""Fixtures and service gates shared by the whole suite.

Tests that need a real service carry a marker (``postgres``, ``redis``, ``browser``). When the
service is missing they are skipped with the reason, except under ``REQUIRE_SERVICES=1`` (CI),
where a missing service fails the test: CI must never pass by skipping.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
AXE_PATH = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def _missing(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def redis_url() -> str:
    return os.environ.get("REDIS_URL", "")


def redis_available() -> bool:
    if not redis_url():
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(redis_url(), socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture(autouse=True)
def _service_gates(request: pytest.FixtureRequest) -> None:
    node = request.node
    if node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        _missing("this test needs PostgreSQL: set DATABASE_URL=postgres://...")
    if node.get_closest_marker("redis") and not redis_available():
        _missing("this test needs Redis: set REDIS_URL=redis://... to a running server")
    if node.get_closest_marker("browser"):
        if not Path(CHROMIUM_PATH).exists():
            _missing(f"no Chromium at {CHROMIUM_PATH} (apt-get install chromium)")
        if not AXE_PATH.exists():
            _missing("axe-core is not installed (npm ci)")


@pytest.fixture(autouse=True)
def _isolated_cache_and_media(settings, tmp_path) -> None:
    """Each test starts with an empty cache (rate limits!) and its own media and mail folders."""
    from django.core.cache import cache

    from clinic.breaker import broker_breaker, cache_breaker
    from clinic.page_cache import _local as local_page_cache

    settings.MEDIA_ROOT = tmp_path / "media"
    # Hashing test passwords slowly proves nothing and costs seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    cache_breaker.reset()
    broker_breaker.reset()
    cache.clear()
    local_page_cache.clear()


@pytest.fixture(autouse=True)
def _no_audit_actor_from_earlier_tests():
    """auditlog's ``set_actor`` never resets its context variable: start each test without one."""
    from auditlog.context import auditlog_value

    token = auditlog_value.set({})
    yield
    auditlog_value.reset(token)


def login_staff(client, user) -> None:
    """Log ``user`` in to the back office as a real staff member is: password *and* a verified
    second factor (their TOTP device), as django-otp records it in the session.

    Every test that logs staff in goes through here.
    """
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(
        user=user, name="Test authenticator", confirmed=True
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user(
        username="staff", password="a-long-test-password", is_staff=True, is_superuser=True
    )


@pytest.fixture
def staff_client(client, staff_user):
    login_staff(client, staff_user)
    return client
