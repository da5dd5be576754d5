"""The waitlist pages: joining through the form, and offer links that won't do."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from bookings.models import WaitlistEntry


def test_a_tampered_offer_link_is_400(client, clinic):
    response = client.get(reverse("bookings:waitlist_offer", kwargs={"token": "nope:nope"}))
    assert response.status_code == 400


def test_joining_through_the_page(clinic, client, django_capture_on_commit_callbacks):
    page = client.get(reverse("bookings:waitlist") + "?service=initial-consultation")
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("bookings:waitlist"),
            {
                "service": clinic.initial.pk,
                "practitioner": "",
                "first_day": "2027-01-05",
                "last_day": "2027-01-12",
                "name": "Wendy Wait",
                "email": "wendy@example.com",
                "phone": "07700 900123",
                "consent": "on",
            },
        )
    assert response.status_code == 302
    entry = WaitlistEntry.objects.get()
    assert (entry.first_day, entry.last_day, entry.practitioner) == (
        date(2027, 1, 5),
        date(2027, 1, 12),
        None,
    )
    assert mail.outbox[0].subject == "You're on the waitlist for Initial consultation"


@pytest.mark.parametrize(
    ("first", "last", "field"),
    [
        ("2027-01-01", "2027-01-05", "first_day"),  # in the past
        ("2027-01-08", "2027-01-05", "last_day"),  # backwards
        ("2027-01-05", "2027-06-30", "last_day"),  # beyond the horizon
        ("soon", "2027-01-05", "first_day"),
    ],
)
def test_the_page_refuses_bad_days(clinic, client, first, last, field):
    response = client.post(
        reverse("bookings:waitlist"),
        {
            "service": clinic.initial.pk,
            "first_day": first,
            "last_day": last,
            "name": "W",
            "email": "w@example.com",
            "phone": "07700 900123",
            "consent": "on",
        },
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not WaitlistEntry.objects.exists()
