"""Calendar files that update the entry the patient already has: iTIP REQUEST and CANCEL."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from bookings.models import Appointment, AppointmentStatusChange
from bookings.services import appointment_book, appointment_cancel, appointment_move
from bookings.tokens import manage_token_make

WEDNESDAY_10 = datetime(2027, 1, 6, 10, 0, tzinfo=UTC)
THURSDAY_11 = datetime(2027, 1, 7, 11, 0, tzinfo=UTC)


def _event(ics: str):
    calendar = Calendar.from_ical(ics)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def _attached_ics(message) -> str:
    ((filename, content, mimetype),) = message.attachments
    assert (filename, mimetype) == ("appointment.ics", "text/calendar")
    return content


def _patient_mail_since(count: int) -> list:
    return [m for m in mail.outbox[count:] if m.to == ["ann@example.com"]]


@pytest.fixture
def booked(clinic, patient, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return appointment_book(
            service=clinic.initial,
            practitioner=clinic.amira,
            start=WEDNESDAY_10,
            patient=patient,
            booked_via=Appointment.BookedVia.WEB,
        )


def test_booking_move_and_cancel_send_one_event_that_updates(
    booked, django_capture_on_commit_callbacks
):
    (confirmation,) = _patient_mail_since(0)
    calendar, first = _event(_attached_ics(confirmation))
    assert str(calendar["method"]) == "REQUEST"
    assert str(first["status"]) == "CONFIRMED"
    assert first.decoded("dtstart") == WEDNESDAY_10
    assert str(first["attendee"]) == "mailto:ann@example.com"
    assert str(first["organizer"]).startswith("mailto:")

    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        appointment_move(
            appointment=booked, start=THURSDAY_11, source=AppointmentStatusChange.Source.PATIENT
        )
    (moved_mail,) = _patient_mail_since(sent)
    calendar, moved = _event(_attached_ics(moved_mail))
    assert str(calendar["method"]) == "REQUEST"
    assert str(moved["uid"]) == str(first["uid"])
    assert moved["sequence"] > first["sequence"]
    assert moved.decoded("dtstart") == THURSDAY_11

    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        appointment_cancel(appointment=booked, source=AppointmentStatusChange.Source.PATIENT)
    (cancelled_mail,) = _patient_mail_since(sent)
    calendar, cancelled = _event(_attached_ics(cancelled_mail))
    assert str(calendar["method"]) == "CANCEL"
    assert str(cancelled["status"]) == "CANCELLED"
    assert str(cancelled["uid"]) == str(first["uid"])
    assert cancelled["sequence"] > moved["sequence"]
    assert not cancelled.walk("VALARM")


def test_a_confirmed_appointment_reminds_two_hours_before(booked):
    (confirmation,) = _patient_mail_since(0)
    _, event = _event(_attached_ics(confirmation))
    (alarm,) = event.walk("VALARM")
    assert str(alarm["action"]) == "DISPLAY"
    assert alarm.decoded("trigger") == -timedelta(hours=2)
    assert "Initial consultation" in str(alarm["description"])


def test_the_manage_page_offers_the_calendar_file_in_any_browser(booked, client):
    token = manage_token_make(appointment_id=booked.pk, version=booked.version)
    page = client.get(reverse("bookings:manage", kwargs={"token": token})).text
    link = reverse("bookings:manage_calendar_file", kwargs={"token": token})
    assert f'href="{link}"' in page

    response = client.get(link)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert f'filename="appointment-{booked.reference}.ics"' in response["Content-Disposition"]
    calendar, event = _event(response.content.decode())
    assert str(calendar["method"]) == "REQUEST"
    assert str(event["uid"]).startswith(f"{booked.reference}@")


def test_an_old_manage_link_gives_no_calendar_file(booked, client):
    old = reverse(
        "bookings:manage_calendar_file",
        kwargs={"token": manage_token_make(appointment_id=booked.pk, version=booked.version)},
    )
    appointment_move(
        appointment=booked, start=THURSDAY_11, source=AppointmentStatusChange.Source.PATIENT
    )
    assert client.get(old).status_code == 410
    forged = reverse("bookings:manage_calendar_file", kwargs={"token": "not-a-token"})
    assert client.get(forged).status_code == 400
