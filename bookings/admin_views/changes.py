"""Moving an appointment and changing its status, from its admin page."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..admin_forms import (
    RescheduleForm,
    StatusChangeForm,
    local_datetime,
)
from ..models import Appointment, AppointmentStatusChange, Practitioner
from ..selectors import slot_list_available
from ..services import (
    AppointmentStatusError,
    SlotTaken,
    SlotUnavailable,
    appointment_move,
    appointment_status_change,
)
from .common import admin_context, int_or_none, parse_admin_day, require


def _appointment_for(model_admin, request: HttpRequest, object_id: str) -> Appointment:
    return get_object_or_404(
        model_admin.get_queryset(request).select_related("service", "practitioner"),
        pk=object_id,
    )


def reschedule_view(model_admin, request: HttpRequest, object_id: str) -> HttpResponse:
    """Move an appointment to another free time (any practitioner offering its service)."""
    appointment = _appointment_for(model_admin, request, object_id)
    require(request, model_admin.has_change_permission(request, appointment))
    if appointment.status != Appointment.Status.CONFIRMED:
        messages.warning(request, _("Only a confirmed appointment can be moved."))
        return redirect("admin:bookings_appointment_change", appointment.pk)
    if request.method == "POST":
        form = RescheduleForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                appointment_move(
                    appointment=appointment,
                    start=local_datetime(data["day"], data["time"]),
                    practitioner=data["practitioner"],
                    source=AppointmentStatusChange.Source.STAFF,
                    actor=request.user,
                    notify_patient=data["notify_patient"],
                )
            except (SlotTaken, SlotUnavailable, AppointmentStatusError) as exc:
                form.add_error("time", exc.message)
            else:
                messages.success(
                    request,
                    _("Moved %(reference)s to %(when)s with %(who)s.")
                    % {
                        "reference": appointment.reference,
                        "when": timezone.localtime(appointment.start).strftime("%a %d %b %H:%M"),
                        "who": appointment.practitioner.name,
                    },
                )
                return redirect("admin:bookings_appointment_change", appointment.pk)
        day = form.cleaned_data.get("day") if hasattr(form, "cleaned_data") else None
        practitioner = form.cleaned_data.get("practitioner") if day else None
    else:
        local = timezone.localtime(appointment.start)
        day = parse_admin_day(request.GET.get("day", ""), local.date())
        practitioner = (
            Practitioner.objects.filter(pk=int_or_none(request.GET.get("practitioner"))).first()
            or appointment.practitioner
        )
        form = RescheduleForm(
            initial={
                "practitioner": practitioner,
                "day": day,
                "time": local.time(),
                "notify_patient": True,
            }
        )
    free_times = (
        slot_list_available(service=appointment.service, first_day=day, practitioner=practitioner)
        if day and practitioner
        else []
    )
    return TemplateResponse(
        request,
        "admin/bookings/reschedule.html",
        admin_context(
            model_admin,
            request,
            _("Move appointment %(reference)s") % {"reference": appointment.reference},
            appointment=appointment,
            original=appointment,
            form=form,
            free_times=free_times,
            day=day,
            practitioner=practitioner,
        ),
        status=400 if form.errors else 200,
    )


def status_view(model_admin, request: HttpRequest, object_id: str) -> HttpResponse:
    """Record an outcome or a cancellation through ``appointment_status_change``."""
    appointment = _appointment_for(model_admin, request, object_id)
    require(request, model_admin.has_change_permission(request, appointment))
    form = StatusChangeForm(request.POST or None, appointment=appointment)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appointment_status_change(
                appointment=appointment,
                to_status=data["to_status"],
                source=AppointmentStatusChange.Source.STAFF,
                actor=request.user,
                note=data["note"],
                notify_patient=data["notify_patient"],
            )
        except AppointmentStatusError as exc:
            form.add_error("to_status", exc.message)
        else:
            messages.success(
                request,
                _("%(reference)s is now %(status)s.")
                % {
                    "reference": appointment.reference,
                    "status": appointment.get_status_display().lower(),
                },
            )
            return redirect("admin:bookings_appointment_change", appointment.pk)
    return TemplateResponse(
        request,
        "admin/bookings/status_change.html",
        admin_context(
            model_admin,
            request,
            _("Change the status of %(reference)s") % {"reference": appointment.reference},
            appointment=appointment,
            original=appointment,
            form=form,
        ),
        status=400 if form.errors else 200,
    )
