"""Every admin page needs a verified second factor, not just a password."""

import re

import pytest
from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import login_staff

pytestmark = pytest.mark.django_db

ADMIN_PREFIX = f"/{settings.ADMIN_URL}"
LOGIN_URL = f"{ADMIN_PREFIX}login/"
PASSWORD = "a-long-test-password"
_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
_SAMPLES = {"int": "1", "path": "1", "str": "1", "slug": "x", "uuid": "0" * 32}


def _admin_paths() -> list[str]:
    """A concrete path for every URL pattern of the admin site, arguments filled in."""

    def walk(patterns, prefix: str) -> list[str]:
        found = []
        for pattern in patterns:
            route = str(pattern.pattern)
            if route.startswith("^"):  # a regex route (admin's catch-all and app index)
                route = route.strip("^$").replace("(?P<app_label>", "").replace(")/", "/")
                route = re.sub(r"[\\^$?()|+*\[\]]", "", route) or ""
                route = "bookings/" if "app_label" in str(pattern.pattern) else route
            route = _CONVERTER.sub(lambda m: _SAMPLES.get(m.group(1) or "str", "1"), route)
            if isinstance(pattern, URLResolver):
                found += walk(pattern.url_patterns, prefix + route)
            elif isinstance(pattern, URLPattern):
                found.append(prefix + route)
        return found

    paths = sorted(set(walk(admin.site.get_urls(), ADMIN_PREFIX)))
    public = {LOGIN_URL, f"{ADMIN_PREFIX}logout/"}
    return [path for path in paths if path not in public and "jsi18n" not in path]


ADMIN_PATHS = _admin_paths()


def test_the_enumeration_covers_the_admin():
    assert len(ADMIN_PATHS) > 40
    assert f"{ADMIN_PREFIX}bookings/appointment/" in ADMIN_PATHS
    assert f"{ADMIN_PREFIX}assessments/submission/1/change/" in ADMIN_PATHS


@pytest.fixture
def password_only_client(client, django_user_model):
    """A superuser who has signed in with a password but not a second factor."""
    user = django_user_model.objects.create_superuser(username="boss", email="boss@example.com")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.force_login(user)
    return client


@pytest.mark.parametrize("path", ADMIN_PATHS)
def test_no_admin_page_opens_without_a_verified_second_factor(password_only_client, path):
    response = password_only_client.get(path)
    assert response.status_code in (302, 403, 404), path
    if response.status_code == 302:
        assert response["Location"].startswith(LOGIN_URL), path


def test_with_the_second_factor_the_admin_opens(client, staff_user):
    login_staff(client, staff_user)
    assert client.get(ADMIN_PREFIX).status_code == 200


def test_signing_in_needs_the_current_code(client, django_user_model):
    user = django_user_model.objects.create_superuser(
        username="boss", email="boss@example.com", password=PASSWORD
    )
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    form = {"username": "boss", "password": PASSWORD}

    wrong = client.post(LOGIN_URL, {**form, "code": "000000"})
    assert wrong.status_code == 200
    assert client.get(ADMIN_PREFIX).status_code == 302

    # django-otp slows down guessing after a wrong code; a real person waits a moment.
    device.refresh_from_db()
    device.throttle_reset()
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    right = client.post(LOGIN_URL, {**form, "code": f"{code:06d}"})
    assert right.status_code == 302
    assert client.get(ADMIN_PREFIX).status_code == 200


def test_staff_without_a_device_cannot_get_in(client, django_user_model):
    django_user_model.objects.create_superuser(
        username="new", email="new@example.com", password=PASSWORD
    )
    response = client.post(LOGIN_URL, {"username": "new", "password": PASSWORD})
    assert response.status_code == 302  # on to setting up an authenticator, not into the admin
    assert response["Location"] == f"{ADMIN_PREFIX}enrol/"
    assert client.get(ADMIN_PREFIX).status_code == 302
