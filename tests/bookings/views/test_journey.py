"""The server-rendered journey, with the test client (no JavaScript, like the simplest phone)."""

import re
from datetime import UTC, date, datetime

import pytest
from django.core import mail
from django.urls import reverse

from bookings.models import Appointment
from tests.bookings.factories import AppointmentFactory

MONDAY_10 = "2027-01-04T10:00:00+00:00"
DETAILS = {
    "name": "Ann O'Brien",
    "email": "ann@example.com",
    "phone": "07700 900123",
    "notes": "Step-free access please",
    "discount_code": "SAVE15",
    "consent": "on",
}


def offered(html: str) -> list[str]:
    return re.findall(r'name="slot" id="slot-\d+" value="([^"]+)"', html)


def choose(client, clinic, start=MONDAY_10, practitioner="any"):
    return client.post(
        reverse("bookings:slots", args=[clinic.initial.slug]),
        {"slot": start, "practitioner": practitioner},
    )


def test_whole_journey_with_the_code_from_the_offer_link(
    client, clinic, django_capture_on_commit_callbacks
):
    response = client.get(reverse("bookings:start"), {"code": "SAVE15"})
    assert response.status_code == 200
    assert "SAVE15" in response.content.decode()
    response = client.get(reverse("bookings:start"), {"service": "initial-consultation"})
    assert response.url == reverse("bookings:slots", args=["initial-consultation"])
    html = client.get(response.url).content.decode()
    assert MONDAY_10 in offered(html)
    assert html.count("<h1") == 1
    assert choose(client, clinic).url == reverse("bookings:details")
    details = client.get(reverse("bookings:details")).content.decode()
    assert 'value="SAVE15"' in details  # carried from ?code=
    response = client.post(reverse("bookings:details"), DETAILS)
    assert response.url == reverse("bookings:review")
    review = client.get(reverse("bookings:review")).content.decode()
    assert "\u2212£9.00 (SAVE15, 15% off)" in review
    assert "£51.00" in review and "£60.00" in review
    assert not Appointment.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("bookings:review"))
    appointment = Appointment.objects.get()
    assert response.url == reverse("bookings:confirmed", args=[appointment.reference])
    assert appointment.booked_via == "web" and appointment.notes == "Step-free access please"
    assert appointment.privacy_notice_version == "2026-11-25"
    page = client.get(response.url).content.decode()
    assert appointment.reference in page
    assert "Monday 4 January 2027 at 10:00" in page
    assert "Amira Shah" in page and "£51.00" in page
    assert "calendar.google.com" in page and "outlook.live.com" in page
    ics = client.get(reverse("bookings:calendar_file", args=[appointment.reference]))
    assert ics["Content-Type"].startswith("text/calendar")
    assert "attachment" in ics["Content-Disposition"]
    assert f"UID:{appointment.reference}@" in ics.content.decode()
    assert len(mail.outbox) == 2
    # The journey's state is gone; the session does not keep patient details.
    assert "booking" not in client.session


def test_chosen_practitioner_and_summer_time_display(client, clinic):
    url = reverse("bookings:slots", args=[clinic.initial.slug])
    html = client.get(url, {"practitioner": "tom-wheeler", "date": "2027-01-05"}).content.decode()
    assert "with Tom Wheeler" in html and 'aria-current="date"' in html
    assert offered(html)[0] == "2027-01-05T09:00:00+00:00"


def test_confirmation_is_only_for_the_browser_that_booked(client, clinic):
    appointment = AppointmentFactory(practitioner=clinic.amira, service=clinic.initial)
    for name in ["bookings:confirmed", "bookings:calendar_file"]:
        assert client.get(reverse(name, args=[appointment.reference])).status_code == 404
        forged = {"t": "bm90LWEtdG9rZW4:1abc:xyz"}
        assert client.get(reverse(name, args=[appointment.reference]), forged).status_code == 404


def test_the_emailed_link_opens_the_confirmation_in_any_browser(client, clinic):
    from django.conf import settings

    from bookings.tokens import confirmation_url

    appointment = AppointmentFactory(practitioner=clinic.amira, service=clinic.initial)
    other = AppointmentFactory(practitioner=clinic.tom, service=clinic.initial)
    url = confirmation_url(appointment).removeprefix(settings.SITE_URL)
    query = url.split("?")[1]
    assert client.get(url).status_code == 200
    assert appointment.reference in client.get(url).content.decode()
    ics = client.get(reverse("bookings:calendar_file", args=[appointment.reference]) + "?" + query)
    assert ics.status_code == 200
    # The token is for one appointment only.
    other_url = reverse("bookings:confirmed", args=[other.reference]) + "?" + query
    assert client.get(other_url).status_code == 404


def test_time_taken_while_patient_was_typing(client, clinic):
    choose(client, clinic, practitioner="tom-wheeler")
    client.post(reverse("bookings:details"), DETAILS)
    AppointmentFactory(
        practitioner=clinic.tom,
        service=clinic.initial,
        start=datetime(2027, 1, 4, 10, 0, tzinfo=UTC),
    )
    response = client.post(reverse("bookings:review"))
    assert response.status_code == 302
    assert response["Location"] == reverse("bookings:taken")
    response = client.get(response["Location"])
    assert response.status_code == 409
    html = response.content.decode()
    assert "That time has just been taken" in html
    assert MONDAY_10 not in offered(html) and offered(html)
    assert Appointment.objects.count() == 1


def test_discount_used_up_meanwhile_shows_on_review(client, clinic):
    choose(client, clinic)
    client.post(reverse("bookings:details"), DETAILS)
    clinic.save15.active = False
    clinic.save15.save()
    response = client.get(reverse("bookings:review"))
    assert "no longer active" in response.content.decode()
    assert client.post(reverse("bookings:review")).status_code == 409
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(
    ("slot", "practitioner"),
    [
        ("", "any"),
        ("not-a-date", "any"),
        ("2027-01-04T10:00:00", "any"),  # no offset
        ("2027-01-04T10:05:00+00:00", "any"),  # off the grid
        ("2027-01-04T13:00:00+00:00", "any"),  # lunch
        ("2026-01-04T10:00:00+00:00", "any"),  # past
        ("2027-13-45T10:00:00+00:00", "any"),
        ("2027-01-04T10:00:00+00:00" * 10, "any"),
        ("2027-01-09T10:00:00+00:00", "tom-wheeler"),  # Tom does not work Saturdays
    ],
)
def test_bad_slot_choice_is_a_clear_error(client, clinic, slot, practitioner):
    response = choose(client, clinic, start=slot, practitioner=practitioner)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="slot-error"' in html and 'aria-describedby="slot-error"' in html
    assert "booking" not in client.session or "start" not in client.session["booking"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": "not-an-email"}, "email", "in the correct format"),
        ({"consent": ""}, "consent", "privacy notice"),
        ({"name": ""}, "name", "Enter your full name."),
        ({"phone": "call me"}, "phone", "phone number"),
        ({"phone": "12"}, "phone", "phone number"),
        ({"discount_code": "NOPE"}, "discount_code", "recognise"),
        ({"name": "x" * 151}, "name", "150 characters or fewer"),
        ({"notes": "x" * 1001}, "notes", "1000 characters or fewer"),
    ],
)
def test_bad_details_are_linked_errors_and_store_nothing(client, clinic, changes, field, message):
    choose(client, clinic)
    response = client.post(reverse("bookings:details"), {**DETAILS, **changes})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert f'href="#id_{field}"' in html  # the summary links to the field
    assert re.search(rf'id="id_{field}"[^>]*aria-invalid="true"', html) or re.search(
        rf'aria-invalid="true"[^>]*id="id_{field}"', html
    )
    assert "details" not in client.session["booking"]
    assert not Appointment.objects.exists()


def test_steps_out_of_order_go_back_to_the_start(client, clinic):
    assert client.get(reverse("bookings:details")).url == reverse("bookings:start")
    assert client.get(reverse("bookings:review")).url == reverse("bookings:start")
    choose(client, clinic)
    assert client.get(reverse("bookings:review")).url == reverse("bookings:details")
    assert client.post(reverse("bookings:review")).status_code == 302
    assert not Appointment.objects.exists()


def test_unknown_service_and_bad_query_values(client, clinic):
    assert client.get(reverse("bookings:slots", args=["no-such-thing"])).status_code == 404
    url = reverse("bookings:slots", args=[clinic.initial.slug])
    for params in [{"date": "2027-99-99"}, {"date": "x" * 500}, {"practitioner": "nobody"}]:
        assert client.get(url, params).status_code == 200
    response = client.get(reverse("bookings:start"), {"service": "nope"})
    assert response.status_code == 400 and "Choose the appointment" in response.content.decode()
    assert client.put(url).status_code == 405


def test_no_free_times_says_so(client, clinic):
    clinic.amira.working_hours.all().delete()
    clinic.tom.working_hours.all().delete()
    html = client.get(reverse("bookings:slots", args=[clinic.initial.slug])).content.decode()
    assert "no free times" in html


def test_slot_page_pages_through_days(client, clinic):
    url = reverse("bookings:slots", args=[clinic.initial.slug])
    html = client.get(url).content.decode()
    assert "Later dates" in html and "Earlier dates" not in html
    later = re.search(r'href="\?date=([0-9-]+)&amp;practitioner=any">Later dates', html).group(1)
    html = client.get(url, {"date": later}).content.decode()
    assert "Earlier dates" in html


def test_post_requires_csrf(clinic):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(
        reverse("bookings:slots", args=[clinic.initial.slug]), {"slot": MONDAY_10}
    )
    assert response.status_code == 403


def test_confirm_is_rate_limited(client, clinic, settings):
    settings.RATELIMIT_ENABLE = True
    responses = [client.post(reverse("bookings:review")).status_code for _ in range(11)]
    assert responses[-1] == 429


def test_the_saving_shows_from_the_first_step(client, clinic):
    page = client.get(reverse("bookings:start"), {"code": "SAVE15"}).content.decode()
    assert "£51.00 with SAVE15" in page  # the initial consultation, £60 less 15%
    assert "£45.00" in page and "£38.25" not in page  # the follow-up: the code does not apply
    slots = client.get(reverse("bookings:slots", args=[clinic.initial.slug])).content.decode()
    assert "£51.00 with SAVE15" in slots and "code-problem" not in slots


def test_a_code_for_another_appointment_says_why_and_offers_it(client, clinic):
    client.get(reverse("bookings:start"), {"code": "SAVE15"})
    page = client.get(reverse("bookings:slots", args=[clinic.follow_up.slug])).content.decode()
    assert "can&#x27;t be used for Follow-up" in page
    assert reverse("bookings:slots", args=[clinic.initial.slug]) in page
    assert "carry on at the full price" in page
    client.post(
        reverse("bookings:slots", args=[clinic.follow_up.slug]),
        {"slot": MONDAY_10, "practitioner": "any"},
    )
    details = client.get(reverse("bookings:details")).content.decode()
    assert 'value="SAVE15"' not in details


@pytest.mark.parametrize(
    ("day", "notice"),
    [
        ("2027-01-10", "The clinic is closed on Sundays."),
        ("2026-12-30", "Wednesday 30 December 2026 has passed."),
        ("2027-12-25", "too far ahead"),
    ],
)
def test_a_day_without_times_is_explained_not_silently_replaced(client, clinic, day, notice):
    url = reverse("bookings:slots", args=[clinic.initial.slug])
    page = client.get(url, {"date": day}).content.decode()
    assert 'id="day-notice"' in page and notice in page
    assert "Showing the next day with free times instead." in page


def test_a_closed_day_is_named(client, clinic):
    from bookings.models import ClinicClosure

    ClinicClosure.objects.create(date=date(2027, 1, 5), reason="Staff training")
    url = reverse("bookings:slots", args=[clinic.initial.slug])
    page = client.get(url, {"date": "2027-01-05"}).content.decode()
    assert "The clinic is closed on Tuesday 5 January 2027 (Staff training)." in page


def test_review_states_the_cutoff_for_a_booking_inside_it(client, clinic):
    choose(client, clinic)  # Monday 10:00, three hours away
    client.post(reverse("bookings:details"), DETAILS)
    page = client.get(reverse("bookings:review")).content.decode()
    assert 'id="cutoff-warning"' in page and "less than 24 hours away" in page


def test_cancelled_summary_has_nothing_to_pay(clinic):
    from django.template.loader import render_to_string

    appointment = AppointmentFactory(
        practitioner=clinic.amira,
        service=clinic.initial,
        status=Appointment.Status.CANCELLED_BY_PATIENT,
    )
    html = render_to_string("bookings/_appointment_summary.html", {"appointment": appointment})
    assert "To pay" not in html and "Nothing to pay" in html


def test_the_month_view_links_only_days_with_times(client, clinic):
    url = reverse("bookings:slots", args=[clinic.initial.slug])
    page = client.get(url, {"date": "2027-01-05"}).content.decode()
    assert "Pick a day in January 2027" in page
    assert 'aria-label="Tuesday 5 January" aria-current="date"' in page
    assert 'href="?date=2027-01-10' not in page  # a Sunday
    assert 'href="?date=2027-01-03' not in page  # past
    assert "Next month" in page and "Previous month" not in page
    february = client.get(url, {"month": "2027-02"}).content.decode()
    assert "Pick a day in February 2027" in february and "Previous month" in february
