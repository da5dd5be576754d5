"""A receptionist runs the diary in the admin: see the week, open a booking, book by phone."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from bookings.models import Appointment, Practitioner, Service
from bookings.selectors import clinic_tz
from bookings.services import Patient, appointment_book
from tests.conftest import AXE_PATH

from .conftest import axe_violations_all

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password"


def admin_login(page, user, password: str) -> None:
    """Log in to the back office through its login form, as a person would.

    The one place these browser tests log staff in. The admin asks for a second factor
    (django-otp): the user gets a TOTP device and types its current code on the same form as
    the password, as from an authenticator app (one step, clinic/signin.py).
    """
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(
        user=user, name="Test authenticator", confirmed=True
    )
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(user.get_username())
    page.get_by_label("Password").fill(password)
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.get_by_label("Code from your authenticator app").fill(f"{code.token():0{device.digits}d}")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/admin/$"))


@pytest.fixture
def desk(browser, live_server, transactional_db):
    """A desktop-sized page: reception works at a desk. With axe-core, and any refusal by the
    Content Security Policy fails the test."""
    if browser is None:
        pytest.skip("no Chromium")
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, base_url=live_server.url, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    context.add_init_script(path=str(AXE_PATH))
    page = context.new_page()
    refused: list[str] = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    yield page
    context.close()
    assert refused == [], f"the Content Security Policy blocked something: {refused}"


@pytest.fixture
def diary_clinic(demo_clinic):
    next_monday = demo_clinic
    booked = appointment_book(
        service=Service.objects.get(slug="initial-consultation"),
        practitioner=Practitioner.objects.get(slug="tom-wheeler"),
        start=datetime.combine(next_monday + timedelta(days=1), time(10), tzinfo=clinic_tz()),
        patient=Patient(name="Dora Diary", email="dora@example.com", phone="07700 900123"),
        booked_via=Appointment.BookedVia.WEB,
    )
    return next_monday, booked


def test_receptionist_opens_a_booking_and_books_free_time_by_phone(desk, staff_user, diary_clinic):
    next_monday, booked = diary_clinic
    page = desk
    admin_login(page, staff_user, PASSWORD)
    page.goto(f"/admin/bookings/appointment/diary/?view=week&date={next_monday.isoformat()}")
    assert page.get_by_role("heading", name="Diary").is_visible()
    assert axe_violations_all(page) == []  # the week: hundreds of free times and bookings
    block = page.locator(".diary-appt", has_text="Dora Diary")
    assert block.is_visible()
    assert "Confirmed" in block.inner_text()

    # Clicking a booking opens it.
    block.click()
    page.wait_for_url(re.compile(rf"/admin/bookings/appointment/{booked.pk}/change/"))
    assert page.get_by_text(booked.reference).first.is_visible()
    assert page.get_by_text("Booked (Website).").is_visible()  # the history

    # Free time starts a phone booking there: from the keyboard as well as with a click.
    page.goto(f"/admin/bookings/appointment/diary/?view=week&date={next_monday.isoformat()}")
    wednesday = (next_monday + timedelta(days=2)).strftime("%A %-d %B")
    free = page.get_by_role("link", name=f"Free: book Amira Shah at 11:00 on {wednesday}")
    assert free.inner_text() == "11:00"
    free.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/admin/bookings/appointment/book/\?"))
    assert page.get_by_label("Time (UK)").input_value() == "11:00"
    assert page.get_by_label("Day").input_value() == (next_monday + timedelta(days=2)).isoformat()
    assert page.get_by_label("Practitioner").locator("option:checked").inner_text() == "Amira Shah"
    page.get_by_label("Appointment").select_option(label="Follow-up")
    page.get_by_label("Full name").fill("Phoebe Phone")
    page.get_by_label("Phone number").fill("07700 900456")
    page.get_by_label("Email address").fill("phoebe@example.com")
    page.get_by_label("Email the patient a confirmation").uncheck()
    page.get_by_role("button", name="Book").click()
    page.wait_for_url(re.compile(r"/admin/bookings/appointment/\d+/change/"))
    assert page.get_by_text("no email sent to the patient").is_visible()
    phoned = Appointment.objects.get(patient_name="Phoebe Phone")
    assert (phoned.booked_via, phoned.booked_by_id) == ("staff", staff_user.pk)
    assert timezone.localtime(phoned.start).strftime("%H:%M") == "11:00"

    page.get_by_role("link", name="In the diary").click()
    page.get_by_role("link", name="Week").click()
    assert page.locator(".diary-appt", has_text="Phoebe Phone").is_visible()
