"""Practitioners' calendar feeds, at a secret address (see ``bookings.calendar``)."""

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_GET

from clinic.ratelimits import rate_limit

from ..calendar import practitioner_feed_ics
from ..models import Appointment, Practitioner


@require_GET
@rate_limit(group="bookings.views.practitioner_feed", rate="60/m")
def practitioner_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A practitioner's appointments as iCalendar, at a secret address (see ``calendar.py``)."""
    practitioner = get_object_or_404(Practitioner, feed_token=token[:64], active=True)
    since = timezone.now() - timedelta(days=30)
    appointments = (
        Appointment.objects.active()
        .filter(practitioner=practitioner, start__gte=since)
        .select_related("service")
        .order_by("start")
    )
    response = HttpResponse(
        practitioner_feed_ics(practitioner=practitioner, appointments=appointments),
        content_type="text/calendar; charset=utf-8",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
