"""Moving an appointment and changing its status, from its admin page."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from ..admin_forms import (
    ClinicalNoteForm,
    RescheduleForm,
    StatusChangeForm,
    local_datetime,
    override_token,
)
from ..models import Appointment, AppointmentStatusChange, Practitioner
from ..selectors import slot_list_available
from ..services import (
    AppointmentStatusError,
    BookingPolicy,
    OverrideNeeded,
    SlotTaken,
    SlotUnavailable,
    appointment_move,
    appointment_note_write,
    appointment_status_change,
)
from ..services.status import QUICK_STATUSES
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
    warnings, confirm_token = [], ""
    if request.method == "POST":
        form = RescheduleForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            start = local_datetime(data["day"], data["time"])
            token = override_token(appointment.pk, data["practitioner"].pk, start)
            confirmed = request.POST.get("confirm") == token
            try:
                appointment_move(
                    appointment=appointment,
                    start=start,
                    practitioner=data["practitioner"],
                    source=AppointmentStatusChange.Source.STAFF,
                    actor=request.user,
                    notify_patient=data["notify_patient"] and bool(appointment.patient_email),
                    policy=BookingPolicy.STAFF_CONFIRMED if confirmed else BookingPolicy.STAFF,
                )
            except OverrideNeeded as exc:
                warnings, confirm_token = exc.warnings, token
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
                # Nobody to email when the patient gave no address.
                "notify_patient": bool(appointment.patient_email),
            }
        )
    free_times = (
        slot_list_available(
            service=appointment.service,
            first_day=day,
            practitioner=practitioner,
            exclude_appointment_id=appointment.pk,
        )
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
            warnings=warnings,
            confirm_token=confirm_token,
        ),
        status=400 if form.errors else 200,
    )


def _back(request: HttpRequest, appointment: Appointment) -> HttpResponse:
    """Back where the one-click button was (the diary, today), or to the appointment."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("admin:bookings_appointment_change", appointment.pk)


def note_view(model_admin, request: HttpRequest, object_id: str) -> HttpResponse:
    """The practitioner's note: practitioners (their own appointments) and managers only."""
    appointment = _appointment_for(model_admin, request, object_id)
    require(request, request.user.has_perm("bookings.write_clinical_note"))
    form = ClinicalNoteForm(
        request.POST or None, initial={"clinical_note": appointment.clinical_note}
    )
    if request.method == "POST" and form.is_valid():
        appointment_note_write(
            appointment=appointment, note=form.cleaned_data["clinical_note"], actor=request.user
        )
        messages.success(request, _("Note saved."))
        return redirect("admin:bookings_appointment_change", appointment.pk)
    return TemplateResponse(
        request,
        "admin/bookings/note.html",
        admin_context(
            model_admin,
            request,
            _("Note on %(reference)s") % {"reference": appointment.reference},
            appointment=appointment,
            original=appointment,
            form=form,
        ),
        status=400 if form.errors else 200,
    )


def status_view(model_admin, request: HttpRequest, object_id: str) -> HttpResponse:
    """Record an outcome or a cancellation through ``appointment_status_change``."""
    appointment = _appointment_for(model_admin, request, object_id)
    may_change = model_admin.has_change_permission(request, appointment)
    require(request, may_change or request.user.has_perm("bookings.mark_attendance"))
    form = StatusChangeForm(
        request.POST or None,
        appointment=appointment,
        only=None if may_change else QUICK_STATUSES,
    )
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
            return _back(request, appointment)
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
