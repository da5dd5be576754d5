"""Adding time off, with the choice to cancel what it covers."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..admin_forms import (
    TimeOffAddForm,
)
from ..models import Appointment, Practitioner
from ..services import (
    BookingError,
    TimeOffClash,
    time_off_add,
    time_off_add_cancelling,
)
from .common import admin_context, int_or_none, require


def _own_practitioner(request: HttpRequest) -> Practitioner | None:
    """A practitioner adding their own time off (not the clinic's, nobody else's); else None.

    Raises 403 for a user with only the "own time off" permission and no practitioner record.
    """
    if request.user.has_perm("bookings.add_timeoff"):
        return None
    own = Practitioner.objects.filter(user_id=request.user.pk).first()
    require(request, own is not None)
    return own


def time_off_add_view(model_admin, request: HttpRequest) -> HttpResponse:
    """Add time off; clashes with booked appointments are listed and refused unless staff
    choose to cancel them, with a message emailed to each patient."""
    require(request, model_admin.has_add_permission(request))
    own = _own_practitioner(request)
    clashes: list[Appointment] = []
    if request.method == "POST":
        form = TimeOffAddForm(request.POST, own=own)
        if form.is_valid():
            data = form.cleaned_data
            try:
                when = {"practitioner": data["practitioner"], "start": data["start"]}
                when |= {"end": data["end"], "reason": data["reason"]}
                if data.get("cancel_clashing"):
                    time_off, cancelled = time_off_add_cancelling(
                        **when, actor=request.user, message=data["message"]
                    )
                else:
                    time_off, cancelled = time_off_add(**when), []
            except TimeOffClash as exc:
                clashes = exc.appointments
                form.add_error(None, exc.message)
            except BookingError as exc:
                form.add_error(None, exc.message)
            else:
                text = _("Added time off: %(what)s.") % {"what": time_off}
                if cancelled:
                    text += " " + _(
                        "Cancelled %(count)s appointment(s) and emailed the patients."
                    ) % {"count": len(cancelled)}
                messages.success(request, text)
                if own is not None:
                    return redirect("admin:bookings_appointment_diary")
                return redirect("admin:bookings_timeoff_changelist")
    else:
        today = timezone.localdate()
        form = TimeOffAddForm(
            own=own,
            initial={
                "practitioner": int_or_none(request.GET.get("practitioner")),
                "start_day": today,
                "end_day": today,
            },
        )
    return TemplateResponse(
        request,
        "admin/bookings/time_off_add.html",
        admin_context(model_admin, request, _("Add time off"), form=form, clashes=clashes),
        status=400 if form.errors else 200,
    )
