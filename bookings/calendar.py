"""Calendar files and add-to-calendar links for an appointment, and practitioners' feeds."""

from collections.abc import Iterable
from datetime import UTC, timedelta
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Alarm, Calendar, Event, vCalAddress

from .models import Appointment


def _title(appointment: Appointment) -> str:
    return f"{appointment.service.name} at {settings.CLINIC_NAME}"


def _description(appointment: Appointment) -> str:
    return (
        f"{appointment.service.name} with {appointment.practitioner.name}.\n"
        f"Booking reference: {appointment.reference}.\n"
        f"To change or cancel, call {settings.CLINIC_PHONE}."
    )


# How long before the appointment the patient's calendar app reminds them.
REMINDER_BEFORE = timedelta(hours=2)


def appointment_ics(*, appointment: Appointment) -> str:
    """An iCalendar (RFC 5545) file with the appointment, times in UTC, in iTIP form (RFC 5546).

    Calendar apps apply a ``METHOD:REQUEST`` to the event they already hold with the same UID
    when its ``SEQUENCE`` is higher, and remove it on a ``METHOD:CANCEL``; a ``PUBLISH`` file
    is usually added as a second, unrelated entry. So the UID is derived from the reference and
    never changes, ``SEQUENCE`` is the appointment's ``version`` (raised in the database by every
    move and cancellation), the booking and every move are a ``REQUEST`` and a cancellation is a
    ``CANCEL``. A confirmed appointment carries an alarm ``REMINDER_BEFORE`` its start.
    """
    cancelled = appointment.is_cancelled
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.CLINIC_NAME}//Bookings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    host = urlsplit(settings.SITE_URL).hostname or "clinic.invalid"
    event.add("uid", f"{appointment.reference}@{host}")
    event.add("sequence", appointment.version)
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", appointment.start.astimezone(UTC))
    event.add("dtend", appointment.end.astimezone(UTC))
    event.add("summary", _title(appointment))
    event.add("description", _description(appointment))
    event.add("location", f"{settings.CLINIC_NAME}, {settings.CLINIC_ADDRESS}")
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    organizer = vCalAddress(f"mailto:{settings.CLINIC_EMAIL}")
    organizer.params["cn"] = settings.CLINIC_NAME
    event.add("organizer", organizer)
    # iTIP wants the attendee the request is for; the patient has already accepted by booking.
    if appointment.patient_email:
        _add_attendee(event, appointment=appointment, cancelled=cancelled)
    if not cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Reminder: {_title(appointment)}")
        alarm.add("trigger", -REMINDER_BEFORE)
        event.add_component(alarm)
    calendar.add_component(event)
    return calendar.to_ical().decode()


def _add_attendee(event: Event, *, appointment: Appointment, cancelled: bool) -> None:
    attendee = vCalAddress(f"mailto:{appointment.patient_email}")
    attendee.params["cn"] = appointment.patient_name
    attendee.params["role"] = "REQ-PARTICIPANT"
    attendee.params["partstat"] = "DECLINED" if cancelled else "ACCEPTED"
    attendee.params["rsvp"] = "FALSE"
    event.add("attendee", attendee)


def appointment_calendar_links(*, appointment: Appointment) -> dict[str, str]:
    """Links that open a new event in Google Calendar and in Outlook on the web."""
    start, end = appointment.start.astimezone(UTC), appointment.end.astimezone(UTC)
    location = f"{settings.CLINIC_NAME}, {settings.CLINIC_ADDRESS}"
    google = "https://calendar.google.com/calendar/render?" + urlencode(
        {
            "action": "TEMPLATE",
            "text": _title(appointment),
            "dates": f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}",
            "details": _description(appointment),
            "location": location,
        }
    )
    outlook = "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(
        {
            "path": "/calendar/action/compose",
            "rru": "addevent",
            "subject": _title(appointment),
            "startdt": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "enddt": end.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "body": _description(appointment),
            "location": location,
        }
    )
    return {"google": google, "outlook": outlook}


def practitioner_feed_ics(*, practitioner, appointments: Iterable[Appointment]) -> str:
    """A practitioner's diary as an iCalendar feed for Google Calendar or Outlook to subscribe to.

    The feed lives on a third party's servers, so it carries as little about patients as lets
    a practitioner recognise their day: the service, the patient's first name and the booking
    reference. No surname, email, phone, notes or assessment; the full record is one click away
    in the back office (the event's URL, which asks for a staff login). Cancelled appointments
    are left out, so they disappear from the subscribed calendar at its next refresh.
    """
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.CLINIC_NAME}//Diary//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{settings.CLINIC_NAME}: {practitioner.name}")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("refresh-interval;value=duration", "PT15M")
    calendar.add("x-published-ttl", "PT15M")
    host = urlsplit(settings.SITE_URL).hostname or "clinic.invalid"
    stamp = timezone.now().astimezone(UTC)
    for appointment in appointments:
        event = Event()
        event.add("uid", f"{appointment.reference}@{host}")
        event.add("sequence", appointment.version)
        event.add("dtstamp", stamp)
        event.add("dtstart", appointment.start.astimezone(UTC))
        event.add("dtend", appointment.end.astimezone(UTC))
        event.add("summary", f"{appointment.service.name}: {appointment.patient_first_name}")
        event.add("description", f"Booking reference {appointment.reference}.")
        event.add(
            "url",
            f"{settings.SITE_URL}/{settings.ADMIN_URL}bookings/appointment/{appointment.pk}/change/",
        )
        # A booking awaiting the patient's email confirmation holds the time, not yet for sure.
        event.add("status", "TENTATIVE" if appointment.is_held else "CONFIRMED")
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
    return calendar.to_ical().decode()
