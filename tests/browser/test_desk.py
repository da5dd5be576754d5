"""The staff week in Chromium: a phone booking at speed, the printed day sheet, one-click
arrivals on a 1366 px screen and on a tablet; axe finds nothing, of any impact."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from bookings.models import Appointment, Practitioner, Service
from bookings.selectors import clinic_tz
from bookings.services import BookingPolicy, Patient, appointment_book
from tests.conftest import AXE_PATH

from .test_diary import PASSWORD, admin_login

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
TABLET = {"width": 768, "height": 1024}


def axe_all(page) -> list[dict]:
    """Every WCAG 2.x A/AA and best-practice violation, whatever its impact."""
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                             'wcag22aa', 'best-practice']},
            resultTypes: ['violations'],
        })"""
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


@pytest.fixture
def screen(browser, live_server, transactional_db):
    """A staff page of a given size, with axe and the CSP console check."""
    if browser is None:
        pytest.skip("no Chromium")
    contexts, refused = [], []

    def open_page(viewport):
        context = browser.new_context(viewport=viewport, base_url=live_server.url, locale="en-GB")
        context.set_default_timeout(10_000)
        context.add_init_script(path=str(AXE_PATH))
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
        )
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert refused == [], f"the Content Security Policy blocked something: {refused}"


def test_phone_booking_of_a_returning_patient_without_a_reload(screen, staff_user, demo_clinic):
    next_monday = demo_clinic
    wednesday = next_monday + timedelta(days=2)
    page = screen(LAPTOP)
    admin_login(page, staff_user, PASSWORD)
    page.goto("/admin/bookings/appointment/book/")
    assert axe_all(page) == []
    page.get_by_label("Full name").fill("Rita Returning")
    page.get_by_label("Phone number").fill("07700 900555")
    page.get_by_label("Appointment").select_option(label="Follow-up")
    page.get_by_label("Practitioner").select_option(label="Tom Wheeler")
    page.get_by_label("Day").fill(wednesday.isoformat())
    page.get_by_label("Day").dispatch_event("change")
    # The free times come in by themselves (no submit), as buttons.
    slot = page.get_by_role("button", name="11:00 · Tom Wheeler")
    slot.wait_for()
    url_before = page.url
    slot.click()
    assert page.url == url_before  # no reload: what was typed is still there
    assert page.get_by_label("Time (UK)").input_value() == "11:00"
    assert page.get_by_label("Full name").input_value() == "Rita Returning"
    assert page.get_by_label("Phone number").input_value() == "07700 900555"
    assert axe_all(page) == []
    mail.outbox.clear()
    page.get_by_role("button", name="Book", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/bookings/appointment/\d+/change/"))
    assert page.get_by_text("no email sent to the patient").is_visible()
    booked = Appointment.objects.get(patient_name="Rita Returning")
    assert booked.patient_email == "" and booked.practitioner.name == "Tom Wheeler"
    assert timezone.localtime(booked.start).strftime("%H:%M") == "11:00"
    assert all("Rita" not in " ".join(m.to) for m in mail.outbox)


def test_the_day_sheet_prints_one_page_per_practitioner(screen, staff_user, demo_clinic):
    next_monday = demo_clinic
    tuesday = next_monday + timedelta(days=1)
    appointment_book(
        service=Service.objects.get(slug="follow-up"),
        practitioner=Practitioner.objects.get(slug="tom-wheeler"),
        start=datetime.combine(tuesday, time(15), tzinfo=clinic_tz()),
        patient=Patient(name="Pat Print", email="", phone="07700 900321"),
        booked_via=Appointment.BookedVia.STAFF,
        policy=BookingPolicy.STAFF_CONFIRMED,
    )
    page = screen(LAPTOP)
    admin_login(page, staff_user, PASSWORD)
    page.goto(f"/admin/bookings/appointment/diary/?date={tuesday.isoformat()}")
    assert axe_all(page) == []
    page.emulate_media(media="print")
    assert not page.locator(".diary-scroll").is_visible()  # no grid, no free slots
    assert not page.locator("#header").is_visible()  # no menus
    assert not page.get_by_role("button", name=re.compile("^Arrived")).first.is_visible()
    sheets = page.locator(".day-sheet-page")
    practitioners = Practitioner.objects.filter(active=True).count()
    assert sheets.count() == practitioners
    tom = sheets.filter(has_text="Tom Wheeler")
    assert tom.get_by_text("Pat Print").is_visible()
    assert tom.get_by_text("07700 900321").is_visible()
    breaks = sheets.evaluate_all("els => els.map(e => getComputedStyle(e).breakAfter)")
    assert breaks[:-1] == ["page"] * (practitioners - 1)
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == practitioners  # printed pages


@pytest.mark.parametrize("viewport", [LAPTOP, TABLET], ids=["1366px", "tablet"])
def test_one_click_arrival_then_attended(screen, staff_user, demo_clinic, viewport):
    started = timezone.now() - timedelta(minutes=1)
    arriving = appointment_book(
        service=Service.objects.get(slug="follow-up"),
        practitioner=Practitioner.objects.get(slug="amira-shah"),
        start=started.replace(second=0, microsecond=0),
        patient=Patient(name="Fatima Bengtsson-Okonkwo", email="", phone="07700 900777"),
        booked_via=Appointment.BookedVia.STAFF,
        policy=BookingPolicy.STAFF_CONFIRMED,
    )
    page = screen(viewport)
    admin_login(page, staff_user, PASSWORD)
    assert page.get_by_text("Fatima Bengtsson-Okonkwo").first.is_visible()  # the home: today
    assert axe_all(page) == []
    arrived = page.get_by_role("button", name=re.compile("^Arrived: Fatima Bengtsson-Okonkwo"))
    box = arrived.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    arrived.click()  # one click
    page.wait_for_url(re.compile(r"/admin/$"))
    arriving.refresh_from_db()
    assert arriving.status == Appointment.Status.ARRIVED
    attended = page.get_by_role("button", name=re.compile("^Attended: Fatima"))
    attended.click()
    page.wait_for_url(re.compile(r"/admin/$"))
    arriving.refresh_from_db()
    assert arriving.status == Appointment.Status.COMPLETED
    # In the diary too, with the phone number and the name in full.
    page.goto("/admin/bookings/appointment/diary/")
    block = page.locator(".diary-appt", has_text="07700 900777")
    assert "Fatima Bengtsson-Okonkwo" in block.inner_text()
    assert axe_all(page) == []


def test_the_appointment_list_fits_a_1366_px_screen(screen, staff_user, demo_clinic):
    page = screen(LAPTOP)
    admin_login(page, staff_user, PASSWORD)
    page.goto("/admin/bookings/appointment/")
    assert page.locator("#result_list").is_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= LAPTOP["width"]
    assert axe_all(page) == []
