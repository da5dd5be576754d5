"""Manage an appointment through the signed link in every email: see it, cancel it, move it."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from clinic.ratelimits import rate_limit

from ..calendar import appointment_calendar_links, appointment_ics
from ..forms import SlotChoiceForm, parse_day, parse_start
from ..models import Appointment, AppointmentStatusChange
from ..selectors import slot_starts_offered
from ..services import (
    AppointmentStatusError,
    ChangeTooLate,
    SlotTaken,
    SlotUnavailable,
    appointment_cancel,
    appointment_move,
)
from ..services.status import appointment_changeable_online
from ..tokens import (
    TokenInvalid,
    manage_token_make,
    manage_token_read,
)
from .common import (
    LinkProblem,
    day_picker,
    link_problems,
)


def _managed_appointment(token: str) -> Appointment:
    """The appointment a manage link is for; :class:`LinkProblem` says why the link won't do."""
    try:
        appointment_id, version = manage_token_read(token)
    except TokenInvalid as exc:
        raise LinkProblem(
            status=400,
            title=_("This link doesn't work"),
            message=_(
                "The link may have been cut short or changed when it was copied. Open it "
                "straight from our email, or call us."
            ),
        ) from exc
    appointment = (
        Appointment.objects.select_related("service", "practitioner")
        .filter(pk=appointment_id)
        .first()
    )
    if appointment is None:
        raise LinkProblem(
            status=404,
            title=_("We can't find this appointment"),
            message=_("Please call us and we will help."),
        )
    if appointment.version != version:
        raise LinkProblem(
            status=410,
            title=_("This link has been replaced"),
            message=_(
                "The appointment has been moved or cancelled since we sent this link. Use the "
                "link in our most recent email about it, or call us."
            ),
        )
    if appointment.end <= timezone.now():
        raise LinkProblem(
            status=410,
            title=_("This appointment has passed"),
            message=_("Links to manage an appointment stop working once it is over."),
        )
    return appointment


def changeable_appointment(view):
    """The preamble of every page that changes an appointment through its manage link.

    Resolves the link to its appointment (a :class:`LinkProblem` if it won't do) and passes it
    to ``view``; sends the patient back to the manage page, with the reason, when the
    appointment can no longer be changed online, before or during the change.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, token: str) -> HttpResponse:
        appointment = _managed_appointment(token)
        if not appointment_changeable_online(appointment=appointment):
            return redirect("bookings:manage", token=token)
        try:
            return view(request, token, appointment)
        except (ChangeTooLate, AppointmentStatusError) as exc:
            messages.warning(request, exc.message)
            return redirect("bookings:manage", token=token)

    return wrapper


def _manage_redirect(appointment: Appointment) -> HttpResponse:
    token = manage_token_make(appointment_id=appointment.pk, version=appointment.version)
    return redirect("bookings:manage", token=token)


@never_cache
@link_problems
@require_GET
def manage(request: HttpRequest, token: str) -> HttpResponse:
    """See an appointment, with ways to move or cancel it (or whom to call inside the cut-off)."""
    appointment = _managed_appointment(token)
    return render(
        request,
        "bookings/manage.html",
        {
            "appointment": appointment,
            "token": token,
            "can_change": appointment_changeable_online(appointment=appointment),
            "cutoff_hours": settings.BOOKING_CANCEL_CUTOFF_HOURS,
            "calendar_links": appointment_calendar_links(appointment=appointment),
        },
    )


@never_cache
@link_problems
@require_GET
def manage_calendar_file(request: HttpRequest, token: str) -> HttpResponse:
    """The appointment's ``.ics`` from the patient's manage link, in any browser."""
    appointment = _managed_appointment(token)
    response = HttpResponse(
        appointment_ics(appointment=appointment), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="appointment-{appointment.reference}.ics"'
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@link_problems
@require_http_methods(["GET", "POST"])
@rate_limit(group="bookings.views.manage_cancel", rate="10/m", method="POST")
@changeable_appointment
def manage_cancel(request: HttpRequest, token: str, appointment: Appointment) -> HttpResponse:
    """Ask "are you sure?" (GET), then cancel (POST)."""
    if request.method == "POST":
        appointment_cancel(appointment=appointment, source=AppointmentStatusChange.Source.PATIENT)
        messages.success(
            request,
            _("Your appointment is cancelled. We have emailed you to confirm."),
        )
        return _manage_redirect(appointment)
    return render(
        request, "bookings/manage_cancel.html", {"appointment": appointment, "token": token}
    )


@never_cache
@link_problems
@require_http_methods(["GET", "POST"])
@rate_limit(group="bookings.views.manage_move", rate="10/m", method="POST")
@changeable_appointment
def manage_move(request: HttpRequest, token: str, appointment: Appointment) -> HttpResponse:
    """Choose another free time with the same practitioner; the move is one transaction."""
    service, practitioner = appointment.service, appointment.practitioner
    form, taken_message, status = None, "", 200
    if request.method == "POST":
        start = parse_start(request.POST.get("slot", ""))
        offered = slot_starts_offered(service=service, start=start, practitioner=practitioner)
        form = SlotChoiceForm(request.POST, offered=offered)
        if form.is_valid():
            try:
                appointment_move(
                    appointment=appointment,
                    start=form.cleaned_data["slot"],
                    source=AppointmentStatusChange.Source.PATIENT,
                )
            except (SlotTaken, SlotUnavailable) as exc:
                taken_message, status = exc.message, 409
            else:
                messages.success(
                    request,
                    _("Your appointment has been moved. We have emailed you the new details."),
                )
                return _manage_redirect(appointment)
        else:
            status = 400
    wanted = parse_day(request.GET.get("date", ""))
    return render(
        request,
        "bookings/manage_move.html",
        {
            **day_picker(service=service, practitioner=practitioner, wanted=wanted),
            "appointment": appointment,
            "token": token,
            "form": form,
            "taken_message": taken_message,
        },
        status=status,
    )
