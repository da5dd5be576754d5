"""A patient moves, then cancels, their appointment from the email link and books again."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from bookings.models import Appointment, Practitioner, Service
from bookings.selectors import clinic_tz
from bookings.services import Patient, appointment_book

pytestmark = pytest.mark.browser


@pytest.fixture
def booked(demo_clinic):
    next_monday = demo_clinic
    return appointment_book(
        service=Service.objects.get(slug="initial-consultation"),
        practitioner=Practitioner.objects.get(slug="amira-shah"),
        start=datetime.combine(next_monday + timedelta(days=2), time(10), tzinfo=clinic_tz()),
        patient=Patient(name="Ann O'Brien", email="ann@example.com", phone="07700 900123"),
        discount_code="SAVE15",
        booked_via=Appointment.BookedVia.WEB,
    )


def manage_link_from_email() -> str:
    confirmation = [m for m in mail.outbox if m.to == ["ann@example.com"]][-1]
    return re.search(r"https?://[^/\s]+(/book/manage/\S+/)", confirmation.body).group(1)


def test_patient_moves_cancels_and_books_again(page, booked, assert_accessible):
    page.goto(manage_link_from_email())
    assert page.get_by_role("heading", name="Your appointment").is_visible()
    assert booked.reference in page.locator(".booking-reference").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Move to another time").click()
    page.wait_for_url(re.compile(r"/move/"))
    assert page.get_by_role("navigation", name="Days with free times").is_visible()
    assert_accessible(page)
    # A day far enough ahead that the new time is still outside the cut-off.
    page.locator(".day-link").nth(2).click()
    page.wait_for_url(re.compile(r"/move/\?date="))
    page.locator(".slot-button").nth(2).click()
    new_time = page.locator(".slot-button").nth(2).inner_text()
    page.get_by_role("button", name="Move to this time").click()
    page.get_by_text("Your appointment has been moved").wait_for()
    assert new_time in page.locator(".booking-when").inner_text()
    assert_accessible(page)
    booked.refresh_from_db()
    assert booked.version == 1 and timezone.localtime(booked.start).strftime("%H:%M") == new_time

    # The email about the move carries the new link; the old one now explains itself.
    page.goto(manage_link_from_email())
    page.get_by_role("link", name="Cancel appointment").click()
    assert page.get_by_role("heading", name="Cancel this appointment?").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Yes, cancel my appointment").click()
    page.get_by_text("Your appointment is cancelled").wait_for()
    assert "cancelled by patient" in page.locator(".manage-state").inner_text()
    assert_accessible(page)
    booked.refresh_from_db()
    assert booked.status == Appointment.Status.CANCELLED_BY_PATIENT

    # Booking again: SAVE15 is free to use again after the cancellation.
    page.get_by_role("link", name="Book another appointment").click()
    page.get_by_label(re.compile("Initial consultation")).check()
    page.get_by_role("button", name="Choose a time").click()
    page.wait_for_url(re.compile(r"/book/initial-consultation/"))
    page.locator(".slot-button").first.click()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Full name").fill("Ann O'Brien")
    page.get_by_label("Email address").fill("ann@example.com")
    page.get_by_label("Phone number").fill("07700 900123")
    page.get_by_label("Discount code").fill("SAVE15")
    page.get_by_role("button", name="Continue to review").click()
    page.wait_for_url(re.compile(r"/book/review/"))
    assert "SAVE15" in page.locator(".discount-line").inner_text()
    page.get_by_role("button", name="Confirm booking").click()
    page.wait_for_url(re.compile(r"/book/confirmed/"))
    assert Appointment.objects.active().filter(patient_email="ann@example.com").count() == 1


def test_old_and_broken_links_get_a_clear_page(page, booked, assert_accessible):
    link = manage_link_from_email()
    response = page.goto(link.replace("/manage/", "/manage/x"))
    assert response.status == 400
    assert page.get_by_role("heading", name="This link doesn't work").is_visible()
    assert_accessible(page)
