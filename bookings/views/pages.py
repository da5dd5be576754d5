"""Plain public pages about booking: the cancellation policy."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def cancellation_policy(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "bookings/cancellation_policy.html",
        {"cutoff_hours": settings.BOOKING_CANCEL_CUTOFF_HOURS},
    )
