"""Services for patients already seen: a new email is refused online, staff may book it."""

from datetime import UTC, datetime

import pytest

from bookings.models import Appointment, AppointmentStatusChange
from bookings.services import (
    Patient,
    PreviousVisitRequired,
    appointment_book,
    appointment_status_change,
)

NEW = Patient(name="Nia New", email="nia@example.com", phone="07700900001")


@pytest.fixture
def follow_up_for_seen(clinic):
    clinic.follow_up.requires_previous_visit = True
    clinic.follow_up.save()
    return clinic


def book(clinic, service, start, patient=NEW, via=Appointment.BookedVia.WEB):
    return appointment_book(service=service, start=start, patient=patient, booked_via=via)


def test_a_new_email_cannot_book_a_follow_up_online(follow_up_for_seen):
    clinic = follow_up_for_seen
    with pytest.raises(PreviousVisitRequired) as raised:
        book(clinic, clinic.follow_up, datetime(2027, 1, 5, 10, 0, tzinfo=UTC))
    assert "for patients we have already seen" in raised.value.message
    assert not Appointment.objects.exists()


def test_staff_may_book_it_and_an_attended_visit_opens_it(follow_up_for_seen):
    clinic = follow_up_for_seen
    book(
        clinic,
        clinic.follow_up,
        datetime(2027, 1, 5, 10, 0, tzinfo=UTC),
        via=Appointment.BookedVia.STAFF,
    )
    first = book(clinic, clinic.initial, datetime(2027, 1, 4, 10, 0, tzinfo=UTC))
    with pytest.raises(PreviousVisitRequired):  # booked, not yet attended
        book(clinic, clinic.follow_up, datetime(2027, 1, 12, 10, 0, tzinfo=UTC))
    appointment_status_change(
        appointment=first,
        to_status=Appointment.Status.COMPLETED,
        source=AppointmentStatusChange.Source.STAFF,
        note="seen",
        now=first.end,
    )
    again = book(clinic, clinic.follow_up, datetime(2027, 1, 12, 10, 0, tzinfo=UTC))
    assert again.service == clinic.follow_up


def test_the_journey_says_so_at_the_details_step_with_a_way_on(follow_up_for_seen, client):
    clinic = follow_up_for_seen
    client.post(
        f"/book/{clinic.follow_up.slug}/",
        {"slot": "2027-01-05T10:00:00+00:00", "practitioner": "any"},
    )
    page = client.post(
        "/book/details/",
        {"name": "Nia New", "email": "nia@example.com", "phone": "07700900001", "consent": "on"},
    )
    assert page.status_code == 400
    body = page.content.decode()
    assert "for patients we have already seen" in body
    assert f'href="/book/{clinic.initial.slug}/"' in body
