"""Abuse caps on online booking: upcoming bookings per email, attempts per address per day."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from bookings.models import Appointment
from bookings.services import BookingLimitReached, Patient, appointment_book

from .test_concurrency import outcome, run_together, separate_slots

pytestmark = pytest.mark.django_db

TUESDAY_9 = datetime(2027, 1, 5, 9, 0, tzinfo=UTC)


def book(clinic, start, *, email="ann@example.com", via=Appointment.BookedVia.WEB):
    return appointment_book(
        service=clinic.follow_up,
        practitioner=clinic.tom,
        start=start,
        patient=Patient(name="Ann", email=email, phone="07700 900123"),
        booked_via=via,
    )


def test_upcoming_online_bookings_per_email_are_capped(clinic, settings):
    settings.BOOKING_MAX_FUTURE_ONLINE_PER_EMAIL = 2
    book(clinic, TUESDAY_9)
    book(clinic, TUESDAY_9 + timedelta(hours=1), email="ANN@example.com")
    with pytest.raises(BookingLimitReached) as refused:
        book(clinic, TUESDAY_9 + timedelta(hours=2), via=Appointment.BookedVia.API)
    assert settings.CLINIC_PHONE in refused.value.message
    assert Appointment.objects.count() == 2
    # Staff may still book by phone, and another address is not affected.
    book(clinic, TUESDAY_9 + timedelta(hours=2), via=Appointment.BookedVia.STAFF)
    book(clinic, TUESDAY_9 + timedelta(hours=3), email="bo@example.com")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_cap_holds_when_one_address_books_many_times_at_once(clinic, settings):
    # Each booking counts the address's upcoming ones before inserting its own: without the
    # advisory lock that queues them, all eight would count none and all be stored.
    settings.BOOKING_MAX_FUTURE_ONLINE_PER_EMAIL = 2
    slots = separate_slots(clinic, 8)
    results = run_together(
        8,
        lambda i: appointment_book(
            service=clinic.initial,
            practitioner=slots[i].practitioner,
            start=slots[i].start,
            patient=Patient(
                name="Ann",
                email="ANN@example.com" if i % 2 else "ann@example.com",
                phone="07700 900123",
            ),
            booked_via=Appointment.BookedVia.API,
        ),
    )
    assert outcome(results) == {"booked": 2, "BookingLimitReached": 6}
    assert Appointment.objects.count() == 2


def test_a_cancelled_booking_frees_its_place_and_zero_switches_the_cap_off(clinic, settings):
    settings.BOOKING_MAX_FUTURE_ONLINE_PER_EMAIL = 1
    first = book(clinic, TUESDAY_9)
    Appointment.objects.filter(pk=first.pk).update(status=Appointment.Status.CANCELLED_BY_PATIENT)
    book(clinic, TUESDAY_9 + timedelta(hours=1))
    settings.BOOKING_MAX_FUTURE_ONLINE_PER_EMAIL = 0
    for hour in (2, 3, 5, 6):  # 11:00, 12:00, 14:00, 15:00 (13:00 is lunch)
        book(clinic, TUESDAY_9 + timedelta(hours=hour))


def test_the_api_answers_the_cap_with_its_usual_error_body(client, clinic, settings):
    settings.BOOKING_MAX_FUTURE_ONLINE_PER_EMAIL = 1
    book(clinic, TUESDAY_9)
    response = client.post(
        "/api/bookings/",
        json.dumps(
            {
                "service": "follow-up",
                "practitioner": "tom-wheeler",
                "start": "2027-01-05T11:00:00+00:00",
                "name": "Ann",
                "email": "ann@example.com",
                "phone": "07700 900123",
                "consent": True,
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"] == "booking_limit"


def test_booking_attempts_per_address_per_day_are_rate_limited(client, clinic, settings):
    settings.RATELIMIT_ENABLE = True
    settings.BOOKING_MAX_PER_ADDRESS_PER_DAY = 3
    statuses = []
    for minute in range(5):
        statuses.append(
            client.post(
                "/api/bookings/",
                json.dumps({"service": "follow-up", "start": f"2027-01-05T0{minute}:00"}),
                content_type="application/json",
            ).status_code
        )
    assert statuses[:3] == [400, 400, 400]
    assert statuses[3:] == [429, 429]
    # The same daily count covers the web journey's confirm step.
    assert client.post(reverse("bookings:review")).status_code == 429

    settings.RATELIMIT_ENABLE = False  # what RATE_LIMITS_ENABLED=false does
    assert client.post(reverse("bookings:review")).status_code == 302


def test_the_web_journey_shows_the_cap_with_the_phone_number(client, clinic, settings):
    settings.BOOKING_MAX_FUTURE_ONLINE_PER_EMAIL = 1
    book(clinic, TUESDAY_9)
    client.post(
        reverse("bookings:slots", args=[clinic.initial.slug]),
        {"slot": "2027-01-04T10:00:00+00:00", "practitioner": "any"},
    )
    client.post(
        reverse("bookings:details"),
        {
            "name": "Ann",
            "email": "ann@example.com",
            "phone": "07700 900123",
            "consent": "on",
        },
    )
    response = client.post(reverse("bookings:review"), follow=True)
    assert response.redirect_chain == [(reverse("bookings:taken"), 302)]
    assert response.status_code == 409
    assert settings.CLINIC_PHONE in response.content.decode()
    assert Appointment.objects.count() == 1
