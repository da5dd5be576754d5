"""A patient books on a phone from the "Save 15%" link: every step, with the axe check."""

import io
import re
from pathlib import Path

import pytest

from bookings import demo
from bookings.models import Appointment
from clinic.celery import app as celery_app

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_clinic(staff_user, settings):
    settings.RATELIMIT_ENABLE = False
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True  # send the emails here even with a broker set
    demo.seed(staff_user=staff_user, stdout=io.StringIO())
    yield
    celery_app.conf.task_always_eager = previous


def test_booking_journey_with_save15_and_calendar_file(page, demo_clinic, assert_accessible):
    page.goto("/book/?code=SAVE15")
    assert page.locator("h1").count() == 1
    assert page.get_by_role("status").filter(has_text="SAVE15").is_visible()
    assert_accessible(page)
    page.get_by_label(re.compile("Initial consultation")).check()
    page.get_by_role("button", name="Choose a time").click()

    page.wait_for_url(re.compile(r"/book/initial-consultation/"))
    assert page.get_by_role("navigation", name="Days with free times").is_visible()
    assert_accessible(page)
    # Continuing without a time gives an error tied to the group of times.
    page.get_by_role("button", name="Continue").click()
    assert page.locator("#slot-error").is_visible()
    assert_accessible(page)
    page.locator(".slot-button").first.click()
    chosen_time = page.locator(".slot-button").first.inner_text()
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url(re.compile(r"/book/details/"))
    assert page.get_by_label("Discount code").input_value() == "SAVE15"
    page.get_by_label("Full name").fill("Ann O'Brien")
    page.get_by_label("Email address").fill("not-an-email")
    page.get_by_label("Phone number").fill("07700 900123")
    page.get_by_role("button", name="Continue to review").click()
    assert page.get_by_role("alert").is_visible()  # the error summary
    assert_accessible(page)
    page.get_by_label("Email address").fill("ann@example.com")
    page.get_by_role("button", name="Continue to review").click()

    page.wait_for_url(re.compile(r"/book/review/"))
    assert page.locator(".discount-line").inner_text().endswith("\u2212£9.00 (SAVE15, 15% off)")
    assert "£51.00" in page.locator(".booking-price").inner_text()
    assert chosen_time in page.locator(".booking-summary").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm booking").click()

    page.wait_for_url(re.compile(r"/book/confirmed/"))
    appointment = Appointment.objects.get(patient_email="ann@example.com")
    assert page.locator(".booking-reference").inner_text() == appointment.reference
    assert "\u2212£9.00 (SAVE15, 15% off)" in page.locator(".discount-line").inner_text()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Download calendar file")).click()
    download = download_info.value
    assert download.suggested_filename == f"appointment-{appointment.reference}.ics"
    ics = Path(download.path()).read_text()
    assert "BEGIN:VCALENDAR" in ics and f"UID:{appointment.reference}@" in ics
    assert appointment.start.strftime("DTSTART:%Y%m%dT%H%M%SZ") in ics
    assert (
        page.get_by_role("link", name=re.compile("Google Calendar"))
        .get_attribute("href")
        .startswith("https://calendar.google.com/")
    )
