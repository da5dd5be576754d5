"""seed_demo creates a staff login with a published password and key: never without DEBUG."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.demo_login import DEMO_PASSWORD, DEMO_USERNAME

pytestmark = pytest.mark.django_db


def test_seed_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=true"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not get_user_model().objects.filter(username=DEMO_USERNAME).exists()


def test_seed_demo_runs_with_debug_on(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    assert get_user_model().objects.filter(username=DEMO_USERNAME, is_staff=True).exists()


@pytest.mark.parametrize(("debug", "signed_in"), [(True, True), (False, False)])
def test_the_demo_login_is_refused_with_debug_off(client, settings, debug, signed_in):
    # A database seeded on a developer's machine that reaches production keeps the login's
    # rows; its published password and key must still not open the back office there.
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = debug
    device = TOTPDevice.objects.get(user__username=DEMO_USERNAME)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    response = client.post(
        f"/{settings.ADMIN_URL}login/",
        {"username": DEMO_USERNAME, "password": DEMO_PASSWORD, "code": code},
    )
    assert (response.status_code == 302) is signed_in
    assert (client.get(f"/{settings.ADMIN_URL}").status_code == 200) is signed_in
    if not signed_in:
        assert b"only works on a developer" in response.content
