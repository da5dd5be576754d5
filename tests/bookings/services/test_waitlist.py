"""The waitlist: freed times are offered in the order patients joined; the first to book wins."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail

from bookings.models import Appointment, AppointmentStatusChange, WaitlistEntry
from bookings.services import (
    Patient,
    appointment_cancel,
    appointment_move,
    time_off_add,
    time_off_delete,
    waitlist_join,
)
from clinic.notifications.models import Notification
from tests.bookings.conftest import NOW
from tests.bookings.factories import AppointmentFactory

WEDNESDAY = date(2027, 1, 6)
WEDNESDAY_10 = datetime(2027, 1, 6, 10, 0, tzinfo=UTC)


def join(clinic, name, *, minutes_ago, service=None, first=WEDNESDAY, last=WEDNESDAY, **kwargs):
    entry = waitlist_join(
        service=service or clinic.initial,
        first_day=first,
        last_day=last,
        patient=Patient(name=name, email=f"{name.lower()}@example.com", phone="07700900123"),
        privacy_notice_version="2026-11-25",
        now=NOW - timedelta(minutes=minutes_ago),
        **kwargs,
    )
    return entry


def offer_links(recipient: str) -> list[str]:
    bodies = [m.body for m in mail.outbox if m.to == [recipient] and "come free" in m.subject]
    return [
        re.search(r"http://127\.0\.0\.1:8000(/book/waitlist/offer/\S+/)", body).group(1)
        for body in bodies
    ]


@pytest.fixture
def full_wednesday(clinic):
    """Tom is off all week, Amira is fully booked on Wednesday at 10:00."""
    time_off_add(practitioner=clinic.tom, start=NOW, end=NOW + timedelta(days=7), reason="Holiday")
    return AppointmentFactory(practitioner=clinic.amira, service=clinic.initial, start=WEDNESDAY_10)


def test_freed_time_is_offered_in_join_order_to_matching_entries_only(
    clinic, full_wednesday, django_capture_on_commit_callbacks
):
    second = join(clinic, "Second", minutes_ago=10)
    first = join(clinic, "First", minutes_ago=30)
    third = join(clinic, "Third", minutes_ago=5, practitioner=clinic.amira)
    join(clinic, "Otherday", minutes_ago=40, first=date(2027, 1, 7), last=date(2027, 1, 8))
    join(clinic, "Tomonly", minutes_ago=50, practitioner=clinic.tom)
    gone = join(clinic, "Removed", minutes_ago=60)
    gone.status = WaitlistEntry.Status.REMOVED
    gone.save()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        appointment_cancel(appointment=full_wednesday, notify_patient=False)

    offers = Notification.objects.filter(key__contains=":offer:").order_by("pk")
    assert [n.to for n in offers] == [
        ["first@example.com"],
        ["second@example.com"],
        ["third@example.com"],
    ]
    assert [n.key.split(":")[1] for n in offers] == [str(e.pk) for e in (first, second, third)]
    offer_mail = [m for m in mail.outbox if "come free" in m.subject]
    assert [m.to[0] for m in offer_mail] == [
        "first@example.com",
        "second@example.com",
        "third@example.com",
    ]
    assert "Wednesday 6 January 2027 at 10:00" in offer_mail[0].subject


def test_first_to_book_wins_the_other_is_told_it_has_gone(
    clinic, full_wednesday, client, django_capture_on_commit_callbacks
):
    join(clinic, "First", minutes_ago=30)
    join(clinic, "Second", minutes_ago=10)
    with django_capture_on_commit_callbacks(execute=True):
        appointment_cancel(appointment=full_wednesday, notify_patient=False)
    (first_link,) = offer_links("first@example.com")
    (second_link,) = offer_links("second@example.com")

    # The second person clicks first: email scanners only GET, so a GET books nothing.
    page = client.get(second_link)
    assert page.status_code == 200 and "Book this time" in page.text
    assert Appointment.objects.active().filter(start=WEDNESDAY_10).count() == 0
    response = client.post(second_link)
    assert response.status_code == 302 and "/book/confirmed/" in response["Location"]
    booked = Appointment.objects.active().get(start=WEDNESDAY_10)
    assert booked.patient_email == "second@example.com"
    assert WaitlistEntry.objects.get(patient_name="Second").status == "booked"

    late = client.get(first_link)
    assert late.status_code == 410
    assert "That time has gone" in late.text
    assert "/book/initial-consultation/?date=" in late.text  # other times on their days
    assert client.post(first_link).status_code == 410
    assert WaitlistEntry.objects.get(patient_name="First").status == "waiting"
    # A booked entry's other links say so rather than book twice.
    assert client.get(second_link).status_code == 410


def test_moves_and_removed_time_off_offer_the_freed_time(
    clinic, full_wednesday, django_capture_on_commit_callbacks
):
    join(clinic, "Waiting", minutes_ago=30)
    with django_capture_on_commit_callbacks(execute=True):
        appointment_move(
            appointment=full_wednesday,
            start=datetime(2027, 1, 7, 10, 0, tzinfo=UTC),
            source=AppointmentStatusChange.Source.STAFF,
        )
    assert len(offer_links("waiting@example.com")) == 1
    time_off = clinic.tom.time_off.get()
    with django_capture_on_commit_callbacks(execute=True):
        time_off_delete(time_off=time_off)
    # Tom's Wednesday is free again: a second offer, for Tom.
    assert len(offer_links("waiting@example.com")) == 2
