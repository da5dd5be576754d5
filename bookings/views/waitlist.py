"""The waitlist: leave details when no time suits, and book a time offered by email."""

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from clinic.ratelimits import rate_limit

from ..forms import WaitlistForm
from ..models import Practitioner, Service, WaitlistEntry
from ..selectors import slot_days_available, slot_list_available, slot_starts_offered
from ..services import (
    BookingError,
    Patient,
    SlotTaken,
    SlotUnavailable,
    waitlist_join,
    waitlist_offer_book,
)
from ..tokens import (
    TokenInvalid,
    waitlist_offer_token_read,
)
from .common import (
    DAYS_PER_PAGE,
    LinkProblem,
    confirmed_remember,
    link_problems,
)


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limit(group="bookings.views.waitlist", rate="10/m", method="POST")
def waitlist(request: HttpRequest) -> HttpResponse:
    """No time suits: leave details for a service and a range of days."""
    if request.method == "POST":
        form = WaitlistForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            waitlist_join(
                service=data["service"],
                practitioner=data["practitioner"],
                first_day=data["first_day"],
                last_day=data["last_day"],
                patient=Patient(name=data["name"], email=data["email"], phone=data["phone"]),
                privacy_notice_version=settings.PRIVACY_NOTICE_VERSION,
            )
            return redirect("bookings:waitlist_joined")
    else:
        today = timezone.localdate()
        initial = {"first_day": today, "last_day": today + timedelta(days=14)}
        service = Service.objects.filter(active=True, slug=request.GET.get("service", "")).first()
        if service is not None:
            initial["service"] = service
        form = WaitlistForm(initial=initial)
    return render(
        request, "bookings/waitlist.html", {"form": form}, status=400 if form.errors else 200
    )


@require_GET
def waitlist_joined(request: HttpRequest) -> HttpResponse:
    return render(request, "bookings/waitlist_joined.html")


def _offer_gone(request: HttpRequest, entry: WaitlistEntry, message: str) -> HttpResponse:
    """That time has gone: say so, with other free times for the days the patient wanted."""
    other = slot_days_available(
        slots=slot_list_available(
            service=entry.service,
            first_day=max(entry.first_day, timezone.localdate()),
            last_day=entry.last_day,
            practitioner=entry.practitioner,
        )
    )
    return render(
        request,
        "bookings/waitlist_gone.html",
        {"entry": entry, "message": message, "days": sorted(other)[:DAYS_PER_PAGE]},
        status=410,
    )


@never_cache
@link_problems
@require_http_methods(["GET", "POST"])
@rate_limit(group="bookings.views.waitlist_offer", rate="10/m", method="POST")
def waitlist_offer(request: HttpRequest, token: str) -> HttpResponse:
    """The link in a waitlist email: confirm (POST; email scanners only GET) and it is booked."""
    try:
        offer = waitlist_offer_token_read(token)
    except TokenInvalid as exc:
        raise LinkProblem(
            status=400,
            title=_("This link doesn't work"),
            message=_("Open it straight from our email, or call us."),
        ) from exc
    entry = (
        WaitlistEntry.objects.select_related("service", "practitioner")
        .filter(pk=offer.entry_id)
        .first()
    )
    practitioner = Practitioner.objects.filter(pk=offer.practitioner_id, active=True).first()
    if entry is None or practitioner is None:
        raise LinkProblem(
            status=404,
            title=_("We can't find this offer"),
            message=_("Please call us and we will help."),
        )
    if entry.status != WaitlistEntry.Status.WAITING:
        raise LinkProblem(
            status=410,
            title=_("You're no longer on the waitlist"),
            message=_("You have booked from the waitlist already, or left it."),
        )
    gone = _("Sorry, someone else booked that time first.")
    if request.method == "POST":
        try:
            appointment = waitlist_offer_book(
                entry=entry, practitioner=practitioner, start=offer.start
            )
        except (SlotTaken, SlotUnavailable):
            return _offer_gone(request, entry, gone)
        except BookingError as exc:
            raise LinkProblem(status=410, title=exc.message) from exc
        confirmed_remember(request, appointment)
        return redirect("bookings:confirmed", reference=appointment.reference)
    if offer.start not in slot_starts_offered(
        service=entry.service, start=offer.start, practitioner=practitioner
    ):
        return _offer_gone(request, entry, gone)
    return render(
        request,
        "bookings/waitlist_offer.html",
        {"entry": entry, "practitioner": practitioner, "start": offer.start, "token": token},
    )
