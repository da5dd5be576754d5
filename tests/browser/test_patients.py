"""Reception finds a returning patient as they type a phone number, opens their page and books
again; the manager previews a privacy request. Every page is checked with axe-core."""

from datetime import datetime, time, timedelta

import pytest

from bookings.models import Appointment, Practitioner, Service
from bookings.selectors import clinic_tz
from bookings.services import Patient, appointment_book
from tests.conftest import AXE_PATH

from .test_diary import PASSWORD, admin_login

pytestmark = pytest.mark.browser


@pytest.fixture
def desk(browser, live_server, transactional_db):
    """A desktop-sized page with axe-core loaded (the admin's own inline styles are Django's,
    so the public pages' Content Security Policy check is not made here)."""
    if browser is None:
        pytest.skip("no Chromium")
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, base_url=live_server.url, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    context.add_init_script(path=str(AXE_PATH))
    yield context.new_page()
    context.close()


@pytest.fixture
def returning(demo_clinic):
    next_monday = demo_clinic
    return appointment_book(
        service=Service.objects.get(slug="initial-consultation"),
        practitioner=Practitioner.objects.get(slug="tom-wheeler"),
        start=datetime.combine(next_monday + timedelta(days=1), time(10), tzinfo=clinic_tz()),
        patient=Patient(name="Rita Return", email="rita@example.com", phone="01632 960123"),
        booked_via=Appointment.BookedVia.WEB,
    )


def test_find_as_you_type_open_the_patient_and_book_again(
    desk,
    staff_user,
    returning,
    assert_accessible,
):
    page = desk
    admin_login(page, staff_user, PASSWORD)
    page.goto("/admin/patients/patient/")
    page.get_by_label("Find a patient as you type").fill("+44 1632 960")
    result = page.locator("#patient-live-results a", has_text="Rita Return · rita@example.com")
    result.wait_for()
    assert page.locator("#patient-live-status").inner_text() == "1 found"
    assert_accessible(page)
    result.click()
    page.wait_for_url("**/change/")
    assert page.get_by_role("table", name="Upcoming appointments").is_visible()
    assert page.get_by_text(returning.reference).first.is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Book again").click()
    page.wait_for_url("**/book/?patient=*")
    assert page.get_by_label("Email").first.input_value() == "rita@example.com"
    assert_accessible(page)


def test_the_privacy_request_page_previews(desk, staff_user, returning, assert_accessible):
    page = desk
    admin_login(page, staff_user, PASSWORD)
    page.goto("/admin/privacy/datasubjectrequest/request/")
    page.get_by_label("Find the person by name, email or phone").fill("01632960123")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("link", name="Rita Return (rita@example.com)").click()
    page.wait_for_url("**/request/?email=*")
    assert page.get_by_role("table", name="An erasure would").is_visible()
    assert_accessible(page)
