"""Manage an appointment through the signed link in every email: see it, cancel it, move it,
and confirm it while it is held for the patient's email confirmation."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
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
    HoldConfirmation,
    SlotTaken,
    SlotUnavailable,
    appointment_cancel,
    appointment_hold_confirm,
    appointment_move,
    hold_outcome_of,
    hold_standing,
)
from ..services.status import appointment_cancellable_online, appointment_changeable_online
from ..tokens import (
    TokenInvalid,
    confirmation_path,
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


def _changeable_appointment(allowed):
    """The preamble of every page that changes an appointment through its manage link.

    Resolves the link to its appointment (a :class:`LinkProblem` if it won't do) and passes it
    to the view; sends the patient back to the manage page, with the reason, when ``allowed``
    says the appointment can no longer be changed that way online, before or during the change.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, token: str) -> HttpResponse:
            appointment = _managed_appointment(token)
            if not allowed(appointment=appointment):
                return redirect("bookings:manage", token=token)
            try:
                return view(request, token, appointment)
            except (ChangeTooLate, AppointmentStatusError) as exc:
                messages.warning(request, exc.message)
                return redirect("bookings:manage", token=token)

        return wrapper

    return decorator


#: Moving: a confirmed appointment until the cut-off. Cancelling: also a hold, at any time.
movable_appointment = _changeable_appointment(appointment_changeable_online)
cancellable_appointment = _changeable_appointment(appointment_cancellable_online)


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
            "hold_standing": hold_standing(appointment),
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
@cancellable_appointment
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
@movable_appointment
def manage_move(request: HttpRequest, token: str, appointment: Appointment) -> HttpResponse:
    """Choose another free time with the same practitioner; the move is one transaction."""
    service, practitioner = appointment.service, appointment.practitioner
    form, taken_message, status = None, "", 200
    if request.method == "POST":
        start = parse_start(request.POST.get("slot", ""))
        offered = slot_starts_offered(
            service=service,
            start=start,
            practitioner=practitioner,
            exclude_appointment_id=appointment.pk,
        )
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
            **day_picker(
                service=service,
                practitioner=practitioner,
                wanted=wanted,
                exclude_appointment_id=appointment.pk,
            ),
            "appointment": appointment,
            "token": token,
            "form": form,
            "taken_message": taken_message,
        },
        status=status,
    )


#: The heading of the confirm link's page for each outcome but "confirmed" (the booking shows).
_HOLD_OUTCOME_TITLES = {
    HoldConfirmation.LAPSED: gettext_lazy("Not booked: the hold has lapsed"),
    HoldConfirmation.ALREADY_CONFIRMED: gettext_lazy("Already confirmed"),
    HoldConfirmation.CANCELLED: gettext_lazy("This booking was cancelled"),
}


@never_cache
@link_problems
@require_http_methods(["GET", "POST"])
@rate_limit(group="bookings.views.manage_confirm", rate="10/m", method="POST")
def manage_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the hold email: the held booking and one button that confirms it (POST).

    Confirming takes a click on the page, not just opening the link: mail scanners and link
    previews open links too, and must not confirm a booking nobody asked for. A lapsed hold, a
    second click and a cancelled booking each get a page saying so (200: nothing is wrong
    with the link).
    """
    appointment = _managed_appointment(token)
    if request.method == "POST":
        outcome = appointment_hold_confirm(appointment=appointment)
        if outcome is HoldConfirmation.CONFIRMED:
            messages.success(request, _("Thank you: your booking is confirmed."))
            return redirect(confirmation_path(appointment))
    elif hold_standing(appointment):
        return render(
            request, "bookings/hold_confirm.html", {"appointment": appointment, "token": token}
        )
    else:
        outcome = hold_outcome_of(appointment.status)
    return render(
        request,
        "bookings/hold_outcome.html",
        {
            "appointment": appointment,
            "token": token,
            "outcome": outcome.value,
            "title": _HOLD_OUTCOME_TITLES[outcome],
            "confirmation_page": confirmation_path(appointment),
        },
    )
