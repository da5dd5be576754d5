"""The contact journey in Chromium on a phone-sized screen, with the axe check on each page."""

import re

import pytest
from playwright.sync_api import expect

from clinic.contact.models import ContactMessage

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _contact_settings(settings):
    settings.RATELIMIT_ENABLE = False
    settings.STAFF_NOTIFICATION_EMAILS = ["reception@clinic.test"]


def test_contact_journey(page, assert_accessible):
    page.goto("/contact/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact us")
    assert_accessible(page)

    # Sending it empty shows the errors, summarised and on each field.
    page.get_by_role("button", name="Send message").click()
    expect(page).to_have_title(re.compile("^Error: "))
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_be_focused()
    expect(page.get_by_label("Your name")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    # Following an error link takes the patient to the field.
    summary.get_by_role("link", name="Enter your name.").click()
    expect(page.get_by_label("Your name")).to_be_focused()

    page.get_by_label("Your name").fill("Ann Patient")
    page.get_by_label("Email address").fill("ann@example.com")
    page.get_by_label("Phone number (optional)").fill("0113 496 0000")
    page.get_by_role("radio", name="Phone").check()
    page.get_by_label("Your message").fill("Can I book for my hamstrings? <b>thanks</b>")
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Send message").click()

    expect(page).to_have_url(re.compile(r"/contact/thanks/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thank you")
    assert_accessible(page)

    contact_message = ContactMessage.objects.get()
    assert contact_message.preferred_contact == "phone"
    assert contact_message.message == "Can I book for my hamstrings? <b>thanks</b>"
