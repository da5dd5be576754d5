import io

import pytest
from django.urls import resolve, reverse

from bookings import demo
from bookings.models import Appointment, DiscountCode, Practitioner, Service, WorkingHours

from .factories import AppointmentFactory


@pytest.mark.parametrize(
    ("name", "kwargs", "path"),
    [
        ("bookings:start", {}, "/book/"),
        ("bookings:slots", {"service_slug": "follow-up"}, "/book/follow-up/"),
        ("bookings:details", {}, "/book/details/"),
        ("bookings:review", {}, "/book/review/"),
        ("bookings:confirmed", {"reference": "ABCD2345"}, "/book/confirmed/ABCD2345/"),
        (
            "bookings:calendar_file",
            {"reference": "ABCD2345"},
            "/book/confirmed/ABCD2345/appointment.ics",
        ),
        ("api:slots", {}, "/api/slots/"),
        ("api:bookings", {}, "/api/bookings/"),
    ],
)
def test_reverse_and_resolve_round_trip(name, kwargs, path):
    assert reverse(name, kwargs=kwargs) == path
    assert resolve(path).view_name == name


@pytest.mark.django_db
def test_seed_is_idempotent_and_matches_the_issue(staff_user):
    for _ in range(2):
        demo.seed(staff_user=staff_user, stdout=io.StringIO())
    initial = Service.objects.get(slug="initial-consultation")
    follow_up = Service.objects.get(slug="follow-up")
    assert (initial.duration_minutes, str(initial.price)) == (45, "60.00")
    assert (follow_up.duration_minutes, str(follow_up.price)) == (30, "45.00")
    assert Practitioner.objects.count() == 2
    saturday = WorkingHours.objects.filter(weekday=5)
    assert saturday.count() == 1 and saturday.get().end.hour == 13
    assert WorkingHours.objects.filter(weekday=0).count() == 4  # two people, lunch break
    code = DiscountCode.objects.get(code__iexact="save15")
    assert (code.percent_off, code.max_uses, code.max_uses_per_email) == (15, None, 1)
    assert list(code.services.all()) == [initial]


@pytest.mark.django_db
def test_discount_codes_are_unique_in_any_case():
    from django.db import IntegrityError

    DiscountCode.objects.create(code="SAVE15", percent_off=15)
    with pytest.raises(IntegrityError):
        DiscountCode.objects.create(code="save15", percent_off=10)


@pytest.mark.django_db
def test_admin_pages_and_cancel_action(clinic, staff_client):
    appointment = AppointmentFactory(practitioner=clinic.amira, service=clinic.initial)
    for model in ["service", "practitioner", "timeoff", "discountcode", "appointment"]:
        assert staff_client.get(f"/admin/bookings/{model}/").status_code == 200
        assert staff_client.get(f"/admin/bookings/{model}/?q=x").status_code == 200
    assert (
        staff_client.get(f"/admin/bookings/appointment/{appointment.pk}/change/").status_code == 200
    )
    response = staff_client.post(
        "/admin/bookings/appointment/",
        {"action": "cancel_by_clinic", "_selected_action": [appointment.pk]},
        follow=True,
    )
    assert response.status_code == 200
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED_BY_CLINIC
