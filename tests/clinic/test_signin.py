"""Staff sign in in one step; a new or reset authenticator is set up from a QR code on the page;
a manager can reset a staff member's authenticator; sessions are renewed but capped."""

from datetime import timedelta

import pytest
import time_machine
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.roles import Role, roles_sync
from tests.conftest import login_staff

pytestmark = pytest.mark.django_db

ADMIN = f"/{settings.ADMIN_URL}"
LOGIN_URL = f"{ADMIN}login/"
ENROL_URL = f"{ADMIN}enrol/"
PASSWORD = "a-long-test-password"


def _code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def receptionist(django_user_model):
    roles_sync()
    user = django_user_model.objects.create_user(
        username="reception", password=PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name=Role.RECEPTIONIST))
    return user


@pytest.fixture
def device(receptionist):
    return TOTPDevice.objects.create(user=receptionist, name="phone", confirmed=True)


def test_one_step_sign_in_is_accepted_at_the_first_try(client, device):
    page = client.get(LOGIN_URL)
    assert b'name="code"' in page.content
    assert b"otp_challenge" not in page.content and b"otp_device" not in page.content
    response = client.post(
        LOGIN_URL, {"username": "reception", "password": PASSWORD, "code": _code(device)}
    )
    assert response.status_code == 302
    assert client.get(ADMIN).status_code == 200


def test_a_reused_code_gets_a_plain_message(client, device):
    code = _code(device)
    form = {"username": "reception", "password": PASSWORD, "code": code}
    assert client.post(LOGIN_URL, form).status_code == 302
    client.logout()
    again = client.post(LOGIN_URL, form)
    assert again.status_code == 200
    assert "already been used" in again.content.decode()
    assert client.get(ADMIN).status_code == 302


def test_a_wrong_code_is_refused_plainly(client, device):
    form = {"username": "reception", "password": PASSWORD, "code": "000000"}
    response = client.post(LOGIN_URL, form)
    assert "That code is not right" in response.content.decode()
    assert client.get(ADMIN).status_code == 302


def test_a_missing_code_is_asked_for(client, device):
    response = client.post(LOGIN_URL, {"username": "reception", "password": PASSWORD})
    assert "Enter the 6-digit code" in response.content.decode()


@pytest.mark.parametrize(
    "form",
    [
        {"username": "reception", "password": "", "code": "123456"},
        {"username": "", "password": PASSWORD, "code": "123456"},
        {"username": "r" * 200, "password": PASSWORD, "code": "123456"},
        {"username": "r" * 300, "password": PASSWORD, "code": "123456"},
        {"username": "recep\x00tion", "password": PASSWORD, "code": "123456"},
        {},
    ],
)
def test_a_sign_in_with_a_field_missing_or_refused_says_so(client, device, form):
    response = client.post(LOGIN_URL, form)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_first_sign_in_sets_up_the_authenticator_from_a_qr_code(client, receptionist):
    response = client.post(LOGIN_URL, {"username": "reception", "password": PASSWORD})
    assert response["Location"] == ENROL_URL
    page = client.get(ENROL_URL)
    html = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html
    assert client.get(ADMIN).status_code == 302  # not in yet
    device = TOTPDevice.objects.get(user=receptionist, confirmed=False)
    wrong = client.post(ENROL_URL, {"code": "000000"})
    assert "That code is not right" in wrong.content.decode()
    device.throttle_reset()
    done = client.post(ENROL_URL, {"code": _code(device)})
    assert done.status_code == 302
    assert client.get(ADMIN).status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_the_enrol_page_needs_the_password_first(client, receptionist):
    assert client.get(ENROL_URL)["Location"].startswith(LOGIN_URL)


def test_a_wrong_password_never_reaches_the_enrol_page(client, receptionist):
    response = client.post(LOGIN_URL, {"username": "reception", "password": "nope"})
    assert response.status_code == 200
    assert client.get(ENROL_URL)["Location"].startswith(LOGIN_URL)


def test_someone_with_a_device_cannot_enrol_another(client, device):
    client.post(LOGIN_URL, {"username": "reception", "password": PASSWORD})
    assert client.get(ENROL_URL)["Location"].startswith(LOGIN_URL)
    assert TOTPDevice.objects.filter(user=device.user).count() == 1


def test_a_manager_resets_a_device_and_it_is_audited(client, django_user_model, device):
    manager = django_user_model.objects.create_user(
        username="manager", password=PASSWORD, is_staff=True
    )
    manager.groups.add(Group.objects.get(name=Role.CLINIC_MANAGER))
    login_staff(client, manager)
    changelist = f"{ADMIN}otp_totp/totpdevice/"
    assert client.get(changelist).status_code == 200
    response = client.post(
        changelist, {"action": "reset", "_selected_action": [device.pk]}, follow=True
    )
    assert "Reset 1 authenticator" in response.content.decode()
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    entry = LogEntry.objects.get(action=LogEntry.Action.DELETE, object_pk=str(device.pk))
    assert entry.actor == manager
    # The receptionist's next sign-in sets up a new one.
    client.logout()
    response = client.post(LOGIN_URL, {"username": "reception", "password": PASSWORD})
    assert response["Location"] == ENROL_URL


def test_a_receptionist_cannot_reset_devices(client, receptionist, device):
    login_staff(client, receptionist)
    assert client.get(f"{ADMIN}otp_totp/totpdevice/").status_code == 403


def test_a_manager_cannot_reset_a_superusers_device(client, django_user_model):
    boss = django_user_model.objects.create_superuser(username="boss", password=PASSWORD)
    boss_device = TOTPDevice.objects.create(user=boss, name="phone", confirmed=True)
    manager = django_user_model.objects.create_user(
        username="manager", password=PASSWORD, is_staff=True
    )
    roles_sync()
    manager.groups.add(Group.objects.get(name=Role.CLINIC_MANAGER))
    login_staff(client, manager)
    client.post(
        f"{ADMIN}otp_totp/totpdevice/", {"action": "reset", "_selected_action": [boss_device.pk]}
    )
    assert TOTPDevice.objects.filter(pk=boss_device.pk).exists()


def test_an_active_session_is_renewed_and_capped_after_twelve_hours(client, device):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.post(
            LOGIN_URL, {"username": "reception", "password": PASSWORD, "code": _code(device)}
        )
        for _hour in range(11):
            traveller.shift(timedelta(hours=1))
            response = client.get(ADMIN)
            assert response.status_code == 200
            assert settings.SESSION_COOKIE_NAME in response.cookies  # renewed expiry
        traveller.shift(timedelta(hours=1, minutes=1))
        response = client.get(ADMIN)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)
