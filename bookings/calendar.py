"""Calendar files and add-to-calendar links for an appointment."""

from datetime import UTC
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

from .models import Appointment


def _title(appointment: Appointment) -> str:
    return f"{appointment.service.name} at {settings.CLINIC_NAME}"


def _description(appointment: Appointment) -> str:
    return (
        f"{appointment.service.name} with {appointment.practitioner.name}.\n"
        f"Booking reference: {appointment.reference}.\n"
        f"To change or cancel, call {settings.CLINIC_PHONE}."
    )


def appointment_ics(*, appointment: Appointment) -> str:
    """An iCalendar (RFC 5545) file with the appointment, times in UTC.

    The UID is derived from the reference, so importing the file twice updates one event
    instead of adding a second.
    """
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.CLINIC_NAME}//Bookings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    host = urlsplit(settings.SITE_URL).hostname or "clinic.invalid"
    event.add("uid", f"{appointment.reference}@{host}")
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", appointment.start.astimezone(UTC))
    event.add("dtend", appointment.end.astimezone(UTC))
    event.add("summary", _title(appointment))
    event.add("description", _description(appointment))
    event.add("location", f"{settings.CLINIC_NAME}, {settings.CLINIC_ADDRESS}")
    event.add("status", "CANCELLED" if appointment.status == "cancelled" else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{settings.CLINIC_EMAIL}")
    organizer.params["cn"] = settings.CLINIC_NAME
    event.add("organizer", organizer)
    calendar.add_component(event)
    return calendar.to_ical().decode()


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
