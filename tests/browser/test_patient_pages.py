"""Issue 15 on a phone (390 x 844): closures absent, the month view's focus after choosing a
day, my bookings end to end (the link read from the sent email), and a practitioner page. Every
page is checked with axe-core at every impact, not only serious ones."""

import re
from datetime import timedelta

import pytest
from django.core import mail

from bookings.closures import bank_holidays_between
from bookings.models import Appointment, ClinicClosure, Service
from bookings.services import Patient, appointment_book

from .conftest import axe_violations_all

pytestmark = pytest.mark.browser


def assert_no_violations(page) -> None:
    found = axe_violations_all(page)
    assert found == [], f"axe found problems on {page.url}: {found}"


def test_closed_days_are_not_offered_and_asking_for_one_is_explained(page, demo_clinic):
    monday = demo_clinic
    closed = monday + timedelta(days=1)
    ClinicClosure.objects.create(date=closed, reason="Staff training")
    page.goto(f"/book/initial-consultation/?date={closed.isoformat()}")
    notice = page.locator("#day-notice")
    assert "closed" in notice.inner_text() and "Staff training" in notice.inner_text()
    links = page.locator("a.day-link").evaluate_all("links => links.map(a => a.href)")
    assert links and not [href for href in links if f"date={closed.isoformat()}" in href]
    holidays = bank_holidays_between(monday - timedelta(days=7), monday + timedelta(days=60))
    assert not [href for href in links for day in holidays if f"date={day.isoformat()}" in href]
    assert_no_violations(page)


def test_choosing_a_day_moves_focus_to_its_times_and_announces_them(page, demo_clinic):
    page.goto("/book/initial-consultation/")
    day = page.locator("a.month-day:not(.is-selected)").first
    label = day.get_attribute("aria-label")
    day.click()
    page.locator("#times:focus").wait_for()
    assert label in page.locator("#times legend").inner_text()
    assert re.search(r"\d+ times? shown", page.locator("#times-status").inner_text())
    assert "date=" in page.url
    # The next Tab lands on the first time, not at the top of the page.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "slot"
    assert_no_violations(page)


def test_my_bookings_from_the_emailed_link(page, demo_clinic, django_capture_on_commit_callbacks):
    start = None
    from bookings.selectors import slot_list_available

    service = Service.objects.get(slug="initial-consultation")
    start = slot_list_available(service=service, first_day=demo_clinic + timedelta(days=2))[0]
    booked = appointment_book(
        service=service,
        start=start.start,
        patient=Patient(name="Ann O'Brien", email="ann@example.com", phone="07700900123"),
        booked_via=Appointment.BookedVia.WEB,
    )
    mail.outbox.clear()
    page.goto("/book/mine/")
    assert_no_violations(page)
    page.get_by_role("button", name="Email me a link").click()
    assert page.get_by_role("alert").is_visible()  # the error summary, for an empty address
    page.get_by_label("Your email address").fill("ann@example.com")
    page.get_by_role("button", name="Email me a link").click()
    page.wait_for_url(re.compile(r"/book/mine/sent/"))
    assert_no_violations(page)
    link = re.search(r"https?://\S+/book/mine/\S+/", mail.outbox[-1].body).group(0)
    page.goto(re.sub(r"^https?://[^/]+", "", link))
    assert booked.reference in page.locator("#upcoming").inner_text()
    assert_no_violations(page)
    page.get_by_role("link", name=re.compile("Move or cancel")).click()
    page.wait_for_url(re.compile(r"/book/manage/"))
    assert booked.reference in page.content()


def test_a_practitioner_page_shows_registration_and_books_with_them(page, demo_clinic):
    page.goto("/book/with/")
    assert_no_violations(page)
    page.get_by_role("link", name="Amira Shah").click()
    page.wait_for_url(re.compile(r"/book/with/amira-shah/"))
    assert "HCPC" in page.locator(".practitioner-registration").inner_text()
    assert_no_violations(page)
    page.get_by_role("link", name="Initial consultation with Amira Shah").click()
    page.wait_for_url(re.compile(r"/book/initial-consultation/\?practitioner=amira-shah"))
    assert "with Amira Shah" in page.locator("#times legend").inner_text()


def test_cancellation_policy_page(page, demo_clinic):
    page.goto("/book/cancellation-policy/")
    assert "24 hours" in page.locator("h1 + p").inner_text()
    assert_no_violations(page)
