"""Staff sign-in: a lockout after repeated failures, and a cool-off that ends it."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

LOGIN_URL = f"/{settings.ADMIN_URL}login/"
PASSWORD = "a-long-test-password"


@pytest.fixture
def receptionist(django_user_model):
    user = django_user_model.objects.create_user(
        username="reception", password=PASSWORD, is_staff=True
    )
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def _attempt(client, password: str, **extra):
    """A sign-in with this password and the current code from the authenticator app."""
    device = TOTPDevice.objects.get(user__username="reception")
    device.throttle_reset()
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    form = {
        "username": "reception",
        "password": password,
        "code": f"{code:06d}",
    }
    return client.post(LOGIN_URL, form, **extra)


def test_five_failures_lock_the_account_from_that_address(client, receptionist):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _attempt(client, "wrong-password").status_code == 200  # form with an error
    locked = _attempt(client, "wrong-password")
    assert locked.status_code == 429
    assert b"Too many failed sign-ins" in locked.content
    # Even the right password is refused while locked.
    assert _attempt(client, PASSWORD).status_code == 429


def test_the_lock_ends_after_the_cool_off(client, receptionist):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(settings.AXES_FAILURE_LIMIT):
            _attempt(client, "wrong-password")
        assert _attempt(client, PASSWORD).status_code == 429
        traveller.shift(settings.AXES_COOLOFF_TIME + timedelta(seconds=1))
        response = _attempt(client, PASSWORD)
    assert response.status_code == 302  # signed in (on to the second factor, or the admin)


def test_another_address_is_not_locked_out(client, receptionist):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, "wrong-password")
    elsewhere = _attempt(client, PASSWORD, REMOTE_ADDR="198.51.100.20")
    assert elsewhere.status_code == 302


def test_a_spoofed_forwarded_for_does_not_escape_the_lock(client, receptionist, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for n in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, "wrong", HTTP_X_FORWARDED_FOR=f"1.1.1.{n}, 198.51.100.7", **proxy)
    retry = _attempt(client, PASSWORD, HTTP_X_FORWARDED_FOR="9.9.9.9, 198.51.100.7", **proxy)
    assert retry.status_code == 429
