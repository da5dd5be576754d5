"""Holds on the patient's pages and in the back office, with BOOKING_REQUIRE_EMAIL_CONFIRMATION.

The journey ends on "check your email"; the emailed link shows the hold and one button that
confirms it; a lapsed hold, a second click, the manage page and my bookings each say what
became of it; staff see held bookings labelled and cannot confirm them by hand.
"""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from bookings.models import Appointment
from bookings.services import Patient, appointment_book
from bookings.tokens import manage_token_make, my_bookings_token_make
from tests.bookings.conftest import NOW
from tests.bookings.test_api import BODY

pytestmark = pytest.mark.django_db

TUESDAY_10 = "2027-01-05T10:00:00+00:00"
DETAILS = {
    "name": "Ann O'Brien",
    "email": "ann@example.com",
    "phone": "07700 900123",
    "discount_code": "",
    "consent": "on",
}
LAPSED = NOW + timedelta(minutes=31)


def journey_book(client, clinic, capture):
    """The journey up to "Confirm booking"; returns the page it lands on and the appointment."""
    client.post(
        reverse("bookings:slots", args=[clinic.initial.slug]),
        {"slot": TUESDAY_10, "practitioner": "amira-shah"},
    )
    client.post(reverse("bookings:details"), DETAILS)
    with capture(execute=True):
        response = client.post(reverse("bookings:review"))
    return response, Appointment.objects.get()


def emailed_link(address: str = "ann@example.com") -> str:
    """The site-relative confirm link from the hold email."""
    [email] = [m for m in mail.outbox if m.to == [address]]
    [link] = re.findall(r"http://127\.0\.0\.1:8000(/book/manage/\S+/confirm/)", email.body)
    return link


@pytest.fixture
def held(clinic, holds, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return appointment_book(
            service=clinic.initial,
            practitioner=clinic.amira,
            start=datetime(2027, 1, 5, 10, 0, tzinfo=UTC),
            patient=Patient(name="Ann O'Brien", email="ann@example.com", phone="07700 900123"),
            booked_via=Appointment.BookedVia.WEB,
        )


def test_the_journey_ends_on_check_your_email_then_the_link_confirms(
    client, clinic, holds, django_capture_on_commit_callbacks
):
    response, appointment = journey_book(client, clinic, django_capture_on_commit_callbacks)
    assert appointment.status == "held"
    assert response.url == reverse("bookings:confirmed", args=[appointment.reference])
    page = client.get(response.url)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    html = page.content.decode()
    assert "<title>Check your email to confirm" in html
    assert "Check your email to confirm</h1>" in html and "You're booked" not in html
    assert "not booked yet" in html and "confirm by <strong>07:30</strong>" in html
    assert "ann@example.com" in html and appointment.reference in html
    assert "calendar.google.com" not in html  # nothing to put in a calendar yet

    link = emailed_link()
    other_browser = type(client)()
    # Opening the link (as a mail scanner would) changes nothing: it shows one button.
    confirm_page = other_browser.get(link)
    assert confirm_page.status_code == 200
    assert "Confirm your booking</h1>" in confirm_page.text
    assert confirm_page.text.count('type="submit"') == 1
    assert "no-store" in confirm_page["Cache-Control"]
    appointment.refresh_from_db()
    assert appointment.status == "held"

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = other_browser.post(link)
    assert response.status_code == 302
    assert response.url.startswith(reverse("bookings:confirmed", args=[appointment.reference]))
    booked = other_browser.get(response.url).content.decode()
    assert "You're booked" in booked and "your booking is confirmed" in booked
    assert "calendar.google.com" in booked
    appointment.refresh_from_db()
    assert appointment.status == "confirmed"
    assert sorted(m.to[0] for m in mail.outbox) == ["ann@example.com", "reception@example.com"]
    # The booking browser's own page now shows the booking too.
    assert (
        "You're booked"
        in client.get(reverse("bookings:confirmed", args=[appointment.reference])).text
    )

    # A second click (or the link opened again) says so, and sends nothing.
    mail.outbox.clear()
    for again in (other_browser.post(link), other_browser.get(link)):
        assert again.status_code == 200
        assert "Already confirmed</h1>" in again.text
    assert mail.outbox == []


def test_after_the_hold_lapsed_the_link_says_so_and_offers_to_book_again(
    client, held, django_capture_on_commit_callbacks
):
    link = emailed_link()
    with time_machine.travel(LAPSED, tick=False):
        page = client.get(link)
        assert page.status_code == 200
        assert "Not booked: the hold has lapsed</h1>" in page.text
        assert "until 07:30" in page.text
        book_again = reverse("bookings:slots", args=["initial-consultation"])
        assert f'href="{book_again}?practitioner=amira-shah&amp;date=2027-01-05"' in page.text
        held.refresh_from_db()
        assert held.status == "held"  # a GET changes nothing; the sweep will release it
        with django_capture_on_commit_callbacks(execute=True):
            clicked = client.post(link)
        assert clicked.status_code == 200
        assert "Not booked: the hold has lapsed</h1>" in clicked.text
    held.refresh_from_db()
    assert held.status == "expired"  # the click found it lapsed and let it go


def test_the_booking_browser_sees_the_lapse_too(
    client, clinic, holds, django_capture_on_commit_callbacks
):
    response, _appointment = journey_book(client, clinic, django_capture_on_commit_callbacks)
    with time_machine.travel(LAPSED, tick=False):
        html = client.get(response.url).content.decode()
    assert "Not booked: the hold has lapsed</h1>" in html and "Book again" in html


def test_the_manage_page_shows_the_hold_and_lets_the_patient_release_it(
    client, held, django_capture_on_commit_callbacks
):
    token = manage_token_make(appointment_id=held.pk, version=held.version)
    page = client.get(reverse("bookings:manage", kwargs={"token": token})).content.decode()
    assert "Awaiting your confirmation: not booked yet" in page
    assert "Confirm my booking" in page and "Release this time" in page
    assert "Move to another time" not in page  # a hold cannot be moved
    move = client.get(reverse("bookings:manage_move", kwargs={"token": token}))
    assert move.status_code == 302
    release = client.get(reverse("bookings:manage_cancel", kwargs={"token": token}))
    assert "Release this time?" in release.text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("bookings:manage_cancel", kwargs={"token": token}))
    held.refresh_from_db()
    assert held.status == "cancelled_by_patient"


def test_my_bookings_lists_a_hold_as_not_booked_yet(client, held):
    token = my_bookings_token_make(email="ann@example.com")
    page = client.get(reverse("bookings:my_bookings_list", kwargs={"token": token})).text
    assert "Not booked yet:" in page and "Confirm or release" in page


def test_off_by_default_the_journey_books_at_once(
    client, clinic, django_capture_on_commit_callbacks
):
    response, appointment = journey_book(client, clinic, django_capture_on_commit_callbacks)
    assert appointment.status == "confirmed"
    assert "You're booked" in client.get(response.url).text


def test_the_api_answers_202_with_the_hold(client, clinic, holds):
    body = {**BODY, "discount_code": ""}
    response = client.post("/api/bookings/", json.dumps(body), content_type="application/json")
    assert response.status_code == 202
    appointment = Appointment.objects.get()
    assert response.json() == {
        "reference": appointment.reference,
        "status": "held",
        "hold_expires_at": "2027-01-04T07:30:00+00:00",
        "start": "2027-01-04T10:00:00+00:00",
        "end": "2027-01-04T10:45:00+00:00",
        "practitioner": "tom-wheeler",
        "price": "60.00",
        "discount": "0.00",
        "total": "60.00",
        "message": (
            "Not booked yet: the time is held until 07:30 (UK time). We have emailed "
            "ann@example.com a link to confirm it; unconfirmed, it is released."
        ),
    }
    # The same time again: the hold has it. The usual 409 and its error shape.
    again = client.post(
        "/api/bookings/",
        json.dumps({**body, "email": "bo@example.com"}),
        content_type="application/json",
    )
    assert again.status_code == 409
    assert again.json()["error"] == "slot_taken"


def test_staff_see_the_hold_labelled_and_cannot_confirm_it_by_hand(held, staff_client):
    label = "Awaiting email confirmation"
    listing = staff_client.get(reverse("admin:bookings_appointment_changelist")).text
    assert f'<span class="status-badge status-held">{label}</span>' in listing
    diary = staff_client.get(reverse("admin:bookings_appointment_diary"), {"date": "2027-01-05"})
    assert f'<span class="status-badge status-held">{label}</span>' in diary.text
    dashboard = staff_client.get(reverse("admin:bookings_appointment_dashboard")).text
    assert label in dashboard
    status_url = reverse("admin:bookings_appointment_status", args=[held.pk])
    form = staff_client.get(status_url).text
    assert 'value="cancelled_by_clinic"' in form
    assert 'value="confirmed"' not in form and 'value="expired"' not in form
    refused = staff_client.post(status_url, {"to_status": "confirmed", "note": ""})
    assert refused.status_code == 400
    held.refresh_from_db()
    assert held.status == "held"
