"""Booking form errors are announced: one summary that takes focus, "Error:" in the title,
messages written for patients that do not repeat the fields' labels (the consent sentence)."""

import re

import pytest
from django.urls import reverse

from .test_journey import DETAILS, choose


def _summary(html: str) -> str:
    match = re.search(r'<div class="alert alert-danger error-summary"(.*?)</div>', html, re.S)
    assert match, "no error summary on the page"
    return match.group(0)


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def test_empty_details_are_summarised_for_patients(client, clinic):
    choose(client, clinic)
    response = client.post(reverse("bookings:details"), {})
    assert response.status_code == 400
    html = response.content.decode()
    assert _title(html).startswith("Error: ")
    summary = _summary(html)
    assert 'role="alert"' in summary and "data-focus-on-load" in summary
    assert 'tabindex="-1"' in summary
    items = re.findall(r'<a href="#(id_\w+)" class="alert-link">([^<]+)</a>', summary)
    assert items == [
        ("id_name", "Enter your full name."),
        ("id_email", "Enter your email address."),
        ("id_phone", "Enter your phone number, so we can reach you about your appointment."),
    ]
    assert "This field is required" not in html
    # Booking rests on the contract: no consent tick is required without a note.
    assert "agree to the clinic" not in summary
    assert html.count('role="alert"') == 1


def test_good_details_page_has_no_error_title_and_a_phone_keypad(client, clinic):
    choose(client, clinic)
    html = client.get(reverse("bookings:details")).content.decode()
    assert not _title(html).startswith("Error")
    assert "error-summary" not in html
    phone = re.search(r'<input[^>]*name="phone"[^>]*>', html).group(0)
    assert 'type="tel"' in phone and 'autocomplete="tel"' in phone


def test_no_time_chosen_is_summarised_and_links_to_the_first_time(client, clinic):
    choose(client, clinic)  # a day with times
    response = client.post(
        reverse("bookings:slots", args=[clinic.initial.slug]), {"practitioner": "any"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert _title(html).startswith("Error: ")
    summary = _summary(html)
    assert '<a href="#slot-1" class="alert-link">Choose a time for your appointment.</a>' in summary
    assert 'id="slot-1"' in html


def test_no_appointment_chosen_is_summarised(client, clinic):
    response = client.get(reverse("bookings:start"), {"service": "no-such-service"})
    assert response.status_code == 400
    html = response.content.decode()
    assert _title(html).startswith("Error: ")
    summary = _summary(html)
    assert f'href="#service-{clinic.initial.slug}"' in summary


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"first_day": ""}, "Enter the first day you could come."),
        ({"first_day": "soon"}, "Enter the first day as a date"),
        ({"service": ""}, "Choose the appointment you would like."),
        ({"phone": ""}, "Enter your phone number"),
        ({"consent": ""}, "Tick the box to confirm you have read the privacy notice."),
    ],
)
def test_waitlist_errors_are_summarised_for_patients(client, clinic, changes, message):
    data = {
        "service": clinic.initial.pk,
        "practitioner": "",
        "first_day": "2027-01-05",
        "last_day": "2027-01-20",
        **{k: DETAILS[k] for k in ("name", "email", "phone", "consent")},
        **changes,
    }
    response = client.post(reverse("bookings:waitlist"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert _title(html).startswith("Error: ")
    summary = _summary(html)
    assert message in summary
    if "service" in changes:
        assert 'href="#id_service_0"' in summary  # radios: the link goes to the first one
    phone = re.search(r'<input[^>]*name="phone"[^>]*>', html).group(0)
    assert 'type="tel"' in phone


def test_a_code_that_stopped_working_is_announced_on_review(client, clinic):
    choose(client, clinic)
    client.post(reverse("bookings:details"), DETAILS)
    clinic.save15.active = False
    clinic.save15.save()
    html = client.get(reverse("bookings:review")).content.decode()
    assert _title(html).startswith("Error: ")
    alert = re.search(r'<div class="alert alert-warning"[^>]*>', html).group(0)
    assert 'role="alert"' in alert and "data-focus-on-load" in alert and 'tabindex="-1"' in alert


def test_a_note_needs_explicit_consent_and_nothing_else_does(client, clinic):
    choose(client, clinic)
    base = {k: DETAILS[k] for k in ("name", "email", "phone")}
    response = client.post(reverse("bookings:details"), {**base, "notes": "Sore knee too"})
    assert response.status_code == 400
    summary = _summary(response.content.decode())
    assert "Tick the box to let us keep your note, or remove the note." in summary
    assert "agree to the clinic keeping my note" not in summary
    assert client.post(reverse("bookings:details"), base).status_code == 302
