"""Public practitioner pages: who they are, their registration, and links to book with them."""

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from ..models import Practitioner, Service


def _public_practitioners():
    active_services = Service.objects.filter(active=True).order_by("position", "name")
    return Practitioner.objects.filter(active=True).prefetch_related(
        Prefetch("services", queryset=active_services)
    )


@require_GET
def practitioner_list(request: HttpRequest) -> HttpResponse:
    """The team. Two queries: practitioners and their bookable services."""
    return render(
        request, "bookings/practitioners.html", {"practitioners": _public_practitioners()}
    )


@require_GET
def practitioner_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One practitioner: photo, qualifications, registration, services, "book with" links."""
    practitioner = get_object_or_404(_public_practitioners(), slug=slug)
    return render(request, "bookings/practitioner.html", {"practitioner": practitioner})
