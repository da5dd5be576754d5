"""My bookings: a link by email (same answer for known and unknown addresses), signed,
expiring and rate limited, to a page of upcoming and past bookings."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from bookings.models import Appointment
from bookings.services import Patient, appointment_book, appointment_cancel
from clinic.notifications.models import Notification

ANN = Patient(name="Ann O'Brien", email="Ann@Example.com", phone="07700 900123")


def book(clinic, start, service=None, patient=ANN):
    return appointment_book(
        service=service or clinic.initial,
        start=start,
        patient=patient,
        booked_via=Appointment.BookedVia.WEB,
    )


def link_in_last_email() -> str:
    return re.search(r"http://[^\s]+/book/mine/[^\s]+/", mail.outbox[-1].body).group(0)


@pytest.fixture
def ann_bookings(clinic, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        soon = book(clinic, datetime(2027, 1, 5, 10, 0, tzinfo=UTC))
        later = book(clinic, datetime(2027, 1, 12, 10, 0, tzinfo=UTC), service=clinic.follow_up)
        cancelled = book(clinic, datetime(2027, 1, 6, 10, 0, tzinfo=UTC))
        appointment_cancel(appointment=cancelled, note="test", notify_patient=False)
        book(
            clinic,
            datetime(2027, 1, 7, 10, 0, tzinfo=UTC),
            patient=Patient(name="Bob", email="bob@example.com", phone="07700900000"),
        )
    mail.outbox.clear()
    return soon, later, cancelled


def ask(client, email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/book/mine/", {"email": email})


def test_known_and_unknown_addresses_get_the_same_answer(
    client, ann_bookings, django_capture_on_commit_callbacks
):
    known = ask(client, "ann@example.com", django_capture_on_commit_callbacks)
    unknown = ask(client, "nobody@example.com", django_capture_on_commit_callbacks)
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/book/mine/sent/"
    assert [m.to for m in mail.outbox] == [["ann@example.com"]]
    assert Notification.objects.filter(to=["ann@example.com"]).count() == 1


def test_the_link_lists_upcoming_and_past_with_their_actions(
    client, ann_bookings, django_capture_on_commit_callbacks
):
    soon, later, cancelled = ann_bookings
    ask(client, "ANN@example.com", django_capture_on_commit_callbacks)
    page = client.get(link_in_last_email())
    assert page.status_code == 200
    body = page.content.decode()
    upcoming, past = body.split('id="past"') if 'id="past"' in body else (body, "")
    assert soon.reference in upcoming and later.reference in upcoming
    assert body.index(soon.reference) < body.index(later.reference)
    assert cancelled.reference not in upcoming.split('id="upcoming"')[1].split("Past and")[0]
    assert "Book again" in past
    assert "bob" not in body.lower()
    assert body.count("/appointment.ics") == 2
    assert page["Cache-Control"].startswith("max-age=0")


def test_a_bad_email_is_a_clear_400(client, db):
    page = client.post("/book/mine/", {"email": "not an email"})
    assert page.status_code == 400
    assert "Enter an email address like name@example.com" in page.content.decode()


def test_the_link_expires_and_a_forged_one_fails(
    client, ann_bookings, django_capture_on_commit_callbacks, settings
):
    ask(client, "ann@example.com", django_capture_on_commit_callbacks)
    link = link_in_last_email()
    with time_machine.travel(datetime.now(tz=UTC) + timedelta(hours=25)):
        assert client.get(link).status_code == 410
    assert client.get(link[:-3] + "xx/").status_code == 404


def test_asking_is_rate_limited(client, clinic, settings, django_capture_on_commit_callbacks):
    settings.RATELIMIT_ENABLE = True
    codes = [
        ask(client, f"p{n}@example.com", django_capture_on_commit_callbacks).status_code
        for n in range(6)
    ]
    assert codes == [302] * 5 + [429]
