"""With BOOKING_REQUIRE_EMAIL_CONFIRMATION on, on a phone: book, "check your email", open the
link from the email that was sent, confirm, booked; the link again says it is done. Every page
is checked with axe-core at every impact."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from bookings.models import Appointment, Practitioner, Service
from bookings.selectors import slot_list_available
from bookings.services import Patient, appointment_book

from .conftest import axe_violations_all

pytestmark = pytest.mark.browser


def assert_no_violations(page) -> None:
    found = axe_violations_all(page)
    assert found == [], f"axe found problems on {page.url}: {found}"


@pytest.fixture
def holding(demo_clinic, settings, live_server):
    settings.BOOKING_REQUIRE_EMAIL_CONFIRMATION = True
    settings.BOOKING_HOLD_MINUTES = 30
    settings.SITE_URL = live_server.url
    return demo_clinic


def test_book_check_your_email_then_confirm_by_the_emailed_link(page, holding):
    page.goto("/book/")
    page.get_by_label(re.compile("Initial consultation")).check()
    page.get_by_role("button", name="Choose a time").click()
    page.wait_for_url(re.compile(r"/book/initial-consultation/"))
    page.locator(".slot-button").first.click()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/book/details/"))
    page.get_by_label("Full name").fill("Ann O'Brien")
    page.get_by_label("Email address").fill("ann@example.com")
    page.get_by_label("Phone number").fill("07700 900123")
    page.get_by_role("button", name="Continue to review").click()
    page.wait_for_url(re.compile(r"/book/review/"))
    page.get_by_role("button", name="Confirm booking").click()

    page.wait_for_url(re.compile(r"/book/confirmed/"))
    appointment = Appointment.objects.get(patient_email="ann@example.com")
    assert appointment.status == "held"
    assert page.get_by_role("heading", level=1).inner_text() == "Check your email to confirm"
    until = page.locator("main strong").filter(has_text=re.compile(r"^\d\d:\d\d$")).first
    assert until.inner_text() == f"{timezone.localtime(appointment.hold_expires_at):%H:%M}"
    assert page.locator(".booking-reference").inner_text() == appointment.reference
    assert_no_violations(page)

    # The email that was sent: its link, opened in the browser.
    [email] = [m for m in mail.outbox if m.to == ["ann@example.com"]]
    assert email.subject.startswith("Not booked yet: please confirm by ")
    link = re.search(r"(http://\S+/book/manage/\S+/confirm/)", email.body).group(1)
    page.goto(link)
    assert page.get_by_role("heading", level=1).inner_text() == "Confirm your booking"
    assert_no_violations(page)
    page.get_by_role("button", name="Confirm my booking").click()

    page.wait_for_url(re.compile(rf"/book/confirmed/{appointment.reference}/"))
    assert page.get_by_role("heading", level=1).inner_text() == "You're booked"
    assert page.get_by_text("Thank you: your booking is confirmed.").is_visible()
    assert page.get_by_role("link", name=re.compile("Download calendar file")).is_visible()
    assert_no_violations(page)
    appointment.refresh_from_db()
    assert appointment.status == "confirmed"
    assert [m.subject for m in mail.outbox if m.to == ["ann@example.com"]][-1].startswith(
        "Your appointment on "
    )

    # The link again: already confirmed, nothing to do.
    page.goto(link)
    assert page.get_by_role("heading", level=1).inner_text() == "Already confirmed"
    assert_no_violations(page)


def hold_for(email: str, *, offset: int = 0) -> Appointment:
    service = Service.objects.get(slug="initial-consultation")
    amira = Practitioner.objects.get(slug="amira-shah")
    slots = slot_list_available(
        service=service,
        first_day=timezone.localdate() + timedelta(days=2),
        last_day=timezone.localdate() + timedelta(days=9),
        practitioner=amira,
    )
    return appointment_book(
        service=service,
        practitioner=amira,
        start=slots[offset * 8].start,
        patient=Patient(name="Bo Jones", email=email, phone="07700 900456"),
        booked_via=Appointment.BookedVia.WEB,
    )


def test_a_hold_on_its_manage_page_released_and_a_lapsed_link(page, holding):
    held = hold_for("bo@example.com")
    [email] = [m for m in mail.outbox if m.to == ["bo@example.com"]]
    confirm = re.search(r"http://\S+(/book/manage/\S+/)confirm/", email.body).group(1)
    page.goto(confirm)
    assert page.get_by_text("Awaiting your confirmation: not booked yet").is_visible()
    assert page.get_by_role("button", name="Confirm my booking").is_visible()
    assert_no_violations(page)
    page.get_by_role("link", name="Release this time").click()
    assert page.get_by_role("heading", name="Release this time?").is_visible()
    assert_no_violations(page)
    page.get_by_role("button", name="Yes, release it").click()
    page.get_by_text("Your appointment is cancelled").wait_for()
    held.refresh_from_db()
    assert held.status == "cancelled_by_patient"

    lapsing = hold_for("cy@example.com", offset=1)
    [email] = [m for m in mail.outbox if m.to == ["cy@example.com"]]
    link = re.search(r"(http://\S+/book/manage/\S+/confirm/)", email.body).group(1)
    with time_machine.travel(lapsing.hold_expires_at + timedelta(minutes=1), tick=False):
        page.goto(link)
        assert page.get_by_role("heading", level=1).inner_text() == (
            "Not booked: the hold has lapsed"
        )
        assert page.get_by_role("link", name=re.compile("Book again")).is_visible()
        assert_no_violations(page)
