"""A new receptionist's first sign-in in Chromium: username and password, a QR code on the page
(allowed by the Content Security Policy), the first code, and the back office opens."""

import re

import pytest
from django.contrib.auth.models import Group
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from clinic.roles import Role, roles_sync

from .test_callbacks import _all_violations

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password"


@pytest.fixture
def desk(browser, live_server, transactional_db):
    if browser is None:
        pytest.skip("no Chromium")
    from tests.conftest import AXE_PATH

    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, base_url=live_server.url, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    context.add_init_script(path=str(AXE_PATH))
    page = context.new_page()
    refused: list[str] = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    yield page
    context.close()
    assert refused == [], refused


def test_first_sign_in_sets_up_the_authenticator_on_the_page(desk, django_user_model):
    roles_sync()
    user = django_user_model.objects.create_user(
        username="newdesk", password=PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name=Role.RECEPTIONIST))
    page = desk
    page.goto("/admin/login/")
    assert _all_violations(page) == []
    page.get_by_label("Username").fill("newdesk")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/admin/enrol/$"))
    qr = page.get_by_role("img", name="QR code for setting up your authenticator app")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.naturalWidth") > 0  # drawn, not refused by the CSP
    assert _all_violations(page) == []
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    page.get_by_label("Code shown in your authenticator app").fill(f"{code:06d}")
    page.get_by_role("button", name="Finish signing in").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("link", name="Red-flag call-backs")).to_be_visible()
