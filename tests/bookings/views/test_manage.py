"""The patient's manage link: see, cancel or move without an account, and links that won't do."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail, signing
from django.urls import reverse

from bookings.models import Appointment, AppointmentStatusChange
from bookings.services import SlotTaken, SlotUnavailable, appointment_book, appointment_move
from bookings.tokens import MANAGE_SALT, manage_token_make

WEDNESDAY_10 = datetime(2027, 1, 6, 10, 0, tzinfo=UTC)
THURSDAY_11 = datetime(2027, 1, 7, 11, 0, tzinfo=UTC)


def manage_path(appointment, *, version=None, name="bookings:manage") -> str:
    token = manage_token_make(
        appointment_id=appointment.pk,
        version=appointment.version if version is None else version,
    )
    return reverse(name, kwargs={"token": token})


@pytest.fixture
def booked(clinic, patient, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        appointment = appointment_book(
            service=clinic.initial,
            practitioner=clinic.amira,
            start=WEDNESDAY_10,
            patient=patient,
            discount_code="SAVE15",
            booked_via=Appointment.BookedVia.WEB,
        )
    return appointment


def test_the_confirmation_email_carries_a_working_manage_link(booked, client):
    confirmation = next(m for m in mail.outbox if m.to == ["ann@example.com"])
    link = next(line.strip() for line in confirmation.body.splitlines() if "/book/manage/" in line)
    response = client.get(link.split("127.0.0.1:8000", 1)[-1])
    assert response.status_code == 200
    assert booked.reference in response.text
    assert "Move to another time" in response.text and "Cancel appointment" in response.text
    assert "no-store" in response.headers.get("Cache-Control", "")


def test_a_tampered_link_is_a_clear_400(booked, client):
    good = manage_token_make(appointment_id=booked.pk, version=booked.version)
    forged = signing.dumps({"a": booked.pk + 1, "v": 0}, salt="some-other-salt")
    for token in [good[:-2] + "xx", forged, "not-a-token", good.replace(":", "", 1)]:
        response = client.get(reverse("bookings:manage", kwargs={"token": token}))
        assert response.status_code == 400, token
        assert "This link doesn&#x27;t work" in response.text


def test_an_unknown_appointment_is_404_and_an_old_link_is_410(booked, client):
    token = signing.dumps({"a": 999_999, "v": 0}, salt=MANAGE_SALT, compress=False)
    assert client.get(reverse("bookings:manage", kwargs={"token": token})).status_code == 404
    old = manage_path(booked)
    appointment_move(
        appointment=booked, start=THURSDAY_11, source=AppointmentStatusChange.Source.PATIENT
    )
    response = client.get(old)
    assert response.status_code == 410
    assert "This link has been replaced" in response.text
    assert client.get(manage_path(booked)).status_code == 200


def test_the_link_expires_when_the_appointment_is_over(booked, client):
    path = manage_path(booked)
    with time_machine.travel(booked.end + timedelta(minutes=1), tick=False):
        response = client.get(path)
    assert response.status_code == 410
    assert "This appointment has passed" in response.text


def test_inside_the_cutoff_the_page_says_whom_to_call_and_refuses_changes(booked, client):
    path = manage_path(booked)
    with time_machine.travel(booked.start - timedelta(hours=23), tick=False):
        response = client.get(path)
        assert response.status_code == 200
        assert "less than 24 hours away" in response.text
        assert "0113 496 0123" in response.text
        assert "Cancel appointment" not in response.text
        response = client.post(manage_path(booked, name="bookings:manage_cancel"))
        assert response.status_code == 302
    booked.refresh_from_db()
    assert booked.status == Appointment.Status.CONFIRMED


def test_cancel_asks_first_then_cancels_and_frees_the_code(
    booked, client, clinic, django_capture_on_commit_callbacks
):
    cancel = manage_path(booked, name="bookings:manage_cancel")
    assert "Yes, cancel my appointment" in client.get(cancel).text
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cancel, follow=True)
    assert response.status_code == 200
    assert "This appointment is <strong>cancelled by patient</strong>" in response.text
    booked.refresh_from_db()
    assert booked.status == Appointment.Status.CANCELLED_BY_PATIENT
    clinic.save15.refresh_from_db()
    assert clinic.save15.times_used == 0
    assert {tuple(m.to) for m in mail.outbox} == {("ann@example.com",), ("reception@example.com",)}


def test_move_through_the_page(booked, client, django_capture_on_commit_callbacks):
    move = manage_path(booked, name="bookings:manage_move")
    page = client.get(move + "?date=2027-01-07")
    assert page.status_code == 200
    assert THURSDAY_11.isoformat().replace("+00:00", "") in page.text.replace("+00:00", "")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(move, {"slot": THURSDAY_11.isoformat()}, follow=True)
    assert response.status_code == 200
    assert "Your appointment has been moved" in response.text
    booked.refresh_from_db()
    assert (booked.start, booked.version, booked.practitioner.slug) == (
        THURSDAY_11,
        1,
        "amira-shah",
    )
    assert booked.discount_amount > 0  # the discount stays with the appointment
    patient_mail = next(m for m in mail.outbox if m.to == ["ann@example.com"])
    assert patient_mail.subject.startswith("Moved: your appointment is now on Thursday 7 January")
    assert "SEQUENCE:1" in patient_mail.attachments[0][1]
    staff = next(m for m in mail.outbox if m.to == ["reception@example.com"])
    assert "Wednesday 6 January 2027 at 10:00" in staff.body


def test_move_onto_part_of_its_own_time(booked, client, django_capture_on_commit_callbacks):
    """Half an hour later the same morning overlaps the appointment itself: that time is free
    to it, so the page offers it and the move goes through."""
    later = WEDNESDAY_10 + timedelta(minutes=30)
    move = manage_path(booked, name="bookings:manage_move")
    page = client.get(move + "?date=2027-01-06")
    assert f'value="{later.isoformat()}"' in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(move, {"slot": later.isoformat()}, follow=True)
    assert "Your appointment has been moved" in response.text
    booked.refresh_from_db()
    assert (booked.start, booked.version) == (later, 1)


def test_move_to_a_time_just_taken_keeps_the_old_time(booked, client, clinic, patient):
    appointment_book(
        service=clinic.follow_up,
        practitioner=clinic.amira,
        start=THURSDAY_11 + timedelta(minutes=15),
        patient=patient,
        booked_via=Appointment.BookedVia.WEB,
    )
    response = client.post(
        manage_path(booked, name="bookings:manage_move"), {"slot": THURSDAY_11.isoformat()}
    )
    assert response.status_code == 400  # no longer offered, so the form refuses it
    booked.refresh_from_db()
    assert booked.start == WEDNESDAY_10
    with pytest.raises((SlotTaken, SlotUnavailable)):
        appointment_move(
            appointment=booked, start=THURSDAY_11, source=AppointmentStatusChange.Source.PATIENT
        )
    booked.refresh_from_db()
    assert (booked.start, booked.version) == (WEDNESDAY_10, 0)
