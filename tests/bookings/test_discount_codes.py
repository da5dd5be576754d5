"""Discount codes: a status in the list, one count everywhere, letters and digits only, and only
managers create or change them."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction

from bookings.models import Appointment, DiscountCode
from bookings.selectors import discount_code_use_counts
from bookings.services import appointment_cancel
from clinic.roles import Role, roles_sync
from tests.bookings.conftest import NOW
from tests.bookings.factories import DiscountCodeFactory
from tests.bookings.services.test_booking import MONDAY_10, book
from tests.conftest import login_staff

pytestmark = pytest.mark.django_db

ADMIN = "/admin/bookings/discountcode/"


def _user(django_user_model, role: Role):
    roles_sync()
    user = django_user_model.objects.create_user(username=role.name.lower(), is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def test_each_code_has_a_status(clinic):
    day = timedelta(days=1)
    DiscountCodeFactory(code="LATER", valid_from=NOW + day)
    DiscountCodeFactory(code="OLD", valid_from=NOW - 10 * day, valid_until=NOW - day)
    DiscountCodeFactory(code="GONE", max_uses=1, times_used=1)
    DiscountCodeFactory(code="OFF", active=False)
    statuses = dict(DiscountCode.objects.with_status(now=NOW).values_list("code", "status"))
    assert statuses == {
        "SAVE15": "active",
        "LATER": "scheduled",
        "OLD": "expired",
        "GONE": "used_up",
        "OFF": "off",
    }


def test_the_list_shows_and_filters_by_status(client, clinic, django_user_model):
    DiscountCodeFactory(code="OLD", valid_from=NOW - timedelta(days=9), valid_until=NOW)
    login_staff(client, _user(django_user_model, Role.RECEPTIONIST))
    page = client.get(ADMIN).content.decode()
    assert "Expired" in page and "Active" in page
    expired = client.get(ADMIN + "?status=expired").content.decode()
    assert "OLD" in expired and "SAVE15" not in expired


def test_the_code_page_and_the_dashboard_count_agree_after_a_cancellation(clinic, patient):
    kept = book(clinic, patient, discount_code="SAVE15")
    other = book(
        clinic,
        patient.__class__(name="Bo", email="bo@example.com", phone="07700 900999"),
        start=MONDAY_10 + timedelta(hours=2),
        discount_code="save15",
    )
    appointment_cancel(appointment=other)
    clinic.save15.refresh_from_db()
    assert clinic.save15.times_used == 1
    assert discount_code_use_counts(appointments=Appointment.objects.all()) == [("SAVE15", 1)]
    assert kept.redemption.code == clinic.save15


@pytest.mark.parametrize("bad", ["SAVE 15", "SAVE-15", "£15", "save15!"])
def test_codes_are_letters_and_digits_only(clinic, bad, client, django_user_model):
    manager = _user(django_user_model, Role.CLINIC_MANAGER)
    login_staff(client, manager)
    response = client.post(
        ADMIN + "add/",
        {"code": bad, "percent_off": "10", "active": "on", "max_uses_per_email": "1"},
    )
    assert response.status_code == 200
    assert "letters and digits only" in response.content.decode()
    assert not DiscountCode.objects.filter(code=bad).exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        DiscountCode.objects.create(code=bad, percent_off=Decimal("10"))


def test_a_manager_creates_a_code(clinic, client, django_user_model):
    login_staff(client, _user(django_user_model, Role.CLINIC_MANAGER))
    response = client.post(
        ADMIN + "add/",
        {"code": "SPRING20", "percent_off": "20", "active": "on", "max_uses_per_email": "1"},
    )
    assert response.status_code == 302
    assert DiscountCode.objects.get(code="SPRING20").percent_off == Decimal("20")


def test_a_receptionist_cannot_create_or_change_a_code(clinic, client, django_user_model):
    login_staff(client, _user(django_user_model, Role.RECEPTIONIST))
    assert client.get(ADMIN).status_code == 200
    assert client.get(ADMIN + "add/").status_code == 403
    change = f"{ADMIN}{clinic.save15.pk}/change/"
    page = client.get(change)
    assert page.status_code == 200 and 'name="percent_off"' not in page.content.decode()
    client.post(change, {"code": "SAVE15", "percent_off": "100", "active": "on"})
    clinic.save15.refresh_from_db()
    assert clinic.save15.percent_off != Decimal("100")
