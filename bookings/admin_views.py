"""The back office's own pages for running the day, inside the Django admin.

Each view is wired into :class:`bookings.admin.AppointmentAdmin` (or ``TimeOffAdmin``) by
``get_urls`` and wrapped in ``admin_site.admin_view``, so it has the admin's login, styling and
breadcrumbs. Each checks the model permission it needs and reads appointments through the
model admin's queryset, so a practitioner sees only their own diary everywhere.
"""

from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .admin_forms import (
    ExportForm,
    PhoneBookingForm,
    RescheduleForm,
    StatusChangeForm,
    TimeOffAddForm,
    local_datetime,
)
from .charts import bookings_chart_svg
from .exports import appointments_csv_lines
from .forms import parse_day, parse_start
from .models import Appointment, AppointmentStatusChange, Practitioner, Service
from .selectors import bookings_per_week, clinic_tz, diary_build, slot_list_available
from .services import (
    AppointmentStatusError,
    BookingError,
    DiscountCodeInvalid,
    Patient,
    SlotTaken,
    SlotUnavailable,
    TimeOffClash,
    appointment_book,
    appointment_move,
    appointment_status_change,
    time_off_add,
)


def _context(model_admin, request: HttpRequest, title: str, **extra) -> dict:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": title,
        **extra,
    }


def _require(request: HttpRequest, allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _parse_day(value: str, default: date) -> date:
    return parse_day(value) or default


def _visible_practitioners(request: HttpRequest):
    practitioners = Practitioner.objects.filter(active=True).order_by("position", "name")
    if request.user.has_perm("bookings.view_all_appointments"):
        return practitioners
    return practitioners.filter(user=request.user)


# --- Diary ------------------------------------------------------------------------------------


def diary_view(model_admin, request: HttpRequest) -> TemplateResponse:
    """A day or a week, per practitioner or everyone: appointments, time off and free time."""
    _require(request, model_admin.has_view_permission(request))
    today = timezone.localdate()
    view = "week" if request.GET.get("view") == "week" else "day"
    day = _parse_day(request.GET.get("date", ""), today)
    first_day = day - timedelta(days=day.weekday()) if view == "week" else day
    days = 7 if view == "week" else 1

    visible = _visible_practitioners(request)
    chosen = request.GET.get("practitioner", "all")
    practitioners = visible
    if chosen.isdigit():
        practitioners = visible.filter(pk=int(chosen))
    diary = diary_build(
        practitioners=practitioners,
        first_day=first_day,
        days=days,
        appointments=model_admin.get_queryset(request),
    )
    step = timedelta(days=days)

    def link(**changes) -> str:
        params = {"view": view, "date": first_day.isoformat(), "practitioner": chosen, **changes}
        return "?" + urlencode(params)

    own = Practitioner.objects.filter(user_id=request.user.pk).first()
    return TemplateResponse(
        request,
        "admin/bookings/diary.html",
        _context(
            model_admin,
            request,
            _("Diary"),
            diary=diary,
            view=view,
            first_day=first_day,
            last_day=first_day + step - timedelta(days=1),
            today=today,
            chosen=chosen,
            practitioner_choices=list(visible),
            previous_url=link(date=(first_day - step).isoformat()),
            next_url=link(date=(first_day + step).isoformat()),
            today_url=link(date=today.isoformat()),
            day_url=link(view="day"),
            week_url=link(view="week"),
            can_book=model_admin.has_add_permission(request),
            book_url=reverse("admin:bookings_appointment_book"),
            own_feed_url=settings.SITE_URL + own.get_feed_url() if own else "",
            # The diary needs the width: no app list beside it.
            is_nav_sidebar_enabled=False,
        ),
    )


# --- Phone booking ----------------------------------------------------------------------------


def phone_booking_view(model_admin, request: HttpRequest) -> HttpResponse:
    """Book for a patient on the phone or at the desk, through ``appointment_book``."""
    _require(request, model_admin.has_add_permission(request))
    if request.method == "POST":
        form = PhoneBookingForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                appointment = appointment_book(
                    service=data["service"],
                    practitioner=data["practitioner"],
                    start=data["start"],
                    patient=Patient(
                        name=data["name"],
                        email=data["email"],
                        phone=data["phone"],
                        notes=data["notes"],
                    ),
                    discount_code=data["discount_code"],
                    booked_via=Appointment.BookedVia.STAFF,
                    actor=request.user,
                    notify_patient=data["send_confirmation"],
                )
            except DiscountCodeInvalid as exc:
                form.add_error("discount_code", exc.message)
            except (SlotTaken, SlotUnavailable) as exc:
                form.add_error("time", exc.message)
            else:
                emailed = (
                    _("confirmation emailed to the patient")
                    if data["send_confirmation"]
                    else _("no email sent to the patient")
                )
                messages.success(
                    request,
                    _("Booked %(reference)s: %(service)s with %(who)s, %(when)s (%(emailed)s).")
                    % {
                        "reference": appointment.reference,
                        "service": appointment.service.name,
                        "who": appointment.practitioner.name,
                        "when": timezone.localtime(appointment.start).strftime("%a %d %b %H:%M"),
                        "emailed": emailed,
                    },
                )
                return redirect("admin:bookings_appointment_change", appointment.pk)
    else:
        initial = {"send_confirmation": True}
        service = Service.objects.filter(active=True, pk=_int(request.GET.get("service"))).first()
        practitioner = Practitioner.objects.filter(
            active=True, pk=_int(request.GET.get("practitioner"))
        ).first()
        start = parse_start(request.GET.get("start", ""))
        if service:
            initial["service"] = service
        if practitioner:
            initial["practitioner"] = practitioner
        if start:
            local = start.astimezone(clinic_tz())
            initial.update(day=local.date(), time=local.time().replace(second=0, microsecond=0))
        form = PhoneBookingForm(initial=initial)
    free_times = _free_times(form)
    return TemplateResponse(
        request,
        "admin/bookings/phone_booking.html",
        _context(model_admin, request, _("Book by phone"), form=form, free_times=free_times),
        status=400 if form.errors else 200,
    )


def _int(value) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() else None


def _free_times(form: PhoneBookingForm) -> list:
    """The free starts for the form's service, day and practitioner, to pick from."""
    values = form.cleaned_data if form.is_bound and hasattr(form, "cleaned_data") else form.initial
    service = values.get("service") or Service.objects.filter(active=True).first()
    day = values.get("day")
    if service is None or day is None:
        return []
    return slot_list_available(
        service=service, first_day=day, practitioner=values.get("practitioner")
    )


# --- Reschedule and status --------------------------------------------------------------------


def _appointment_for(model_admin, request: HttpRequest, object_id: str) -> Appointment:
    return get_object_or_404(
        model_admin.get_queryset(request).select_related("service", "practitioner"),
        pk=object_id,
    )


def reschedule_view(model_admin, request: HttpRequest, object_id: str) -> HttpResponse:
    """Move an appointment to another free time (any practitioner offering its service)."""
    appointment = _appointment_for(model_admin, request, object_id)
    _require(request, model_admin.has_change_permission(request, appointment))
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
        day = _parse_day(request.GET.get("day", ""), local.date())
        practitioner = (
            Practitioner.objects.filter(pk=_int(request.GET.get("practitioner"))).first()
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
        _context(
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
    _require(request, model_admin.has_change_permission(request, appointment))
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
        _context(
            model_admin,
            request,
            _("Change the status of %(reference)s") % {"reference": appointment.reference},
            appointment=appointment,
            original=appointment,
            form=form,
        ),
        status=400 if form.errors else 200,
    )


# --- Dashboard and export ---------------------------------------------------------------------


def dashboard_view(model_admin, request: HttpRequest) -> TemplateResponse:
    """Today and tomorrow, this week's counts by status, and bookings per week."""
    _require(request, model_admin.has_view_permission(request))
    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)
    monday = today - timedelta(days=today.weekday())
    appointments = model_admin.get_queryset(request)

    soon = list(
        appointments.starting_on(today, tomorrow)
        .select_related("service", "practitioner")
        .order_by("start")
    )
    counts = dict(
        appointments.starting_on(monday, monday + timedelta(days=6))
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    week_counts = [
        (value, label, counts.get(value, 0)) for value, label in Appointment.Status.choices
    ]
    weeks = bookings_per_week(appointments=appointments, weeks=12, today=today)
    codes = list(
        appointments.booked_since(weeks[0].week_start)
        .exclude(discount_code_text="")
        .values_list("discount_code_text")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("discount_code_text", "n")
    )
    return TemplateResponse(
        request,
        "admin/bookings/dashboard.html",
        _context(
            model_admin,
            request,
            _("Dashboard"),
            today=today,
            tomorrow=tomorrow,
            monday=monday,
            today_appointments=[a for a in soon if timezone.localtime(a.start).date() == today],
            tomorrow_appointments=[
                a for a in soon if timezone.localtime(a.start).date() == tomorrow
            ],
            week_counts=week_counts,
            week_total=sum(counts.values()),
            weeks=weeks,
            chart=bookings_chart_svg(weeks),
            codes=codes,
        ),
    )


def export_view(model_admin, request: HttpRequest) -> HttpResponse:
    """Appointments starting in a date range, as CSV (a form first, then the download)."""
    _require(request, model_admin.has_view_permission(request))
    form = ExportForm(request.GET if "first_day" in request.GET else None)
    if form.is_bound and form.is_valid():
        first, last = form.cleaned_data["first_day"], form.cleaned_data["last_day"]
        appointments = (
            model_admin.get_queryset(request)
            .starting_on(first, last)
            .select_related("service", "practitioner")
            .order_by("start")
        )
        response = StreamingHttpResponse(
            appointments_csv_lines(appointments.iterator(chunk_size=500)),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="appointments-{first:%Y%m%d}-{last:%Y%m%d}.csv"'
        )
        return response
    if not form.is_bound:
        form = ExportForm(initial=ExportForm.default_range())
    return TemplateResponse(
        request,
        "admin/bookings/export.html",
        _context(model_admin, request, _("Export appointments"), form=form),
        status=400 if form.errors else 200,
    )


# --- Time off ---------------------------------------------------------------------------------


def time_off_add_view(model_admin, request: HttpRequest) -> HttpResponse:
    """Add time off; clashes with booked appointments are listed and refused unless staff
    choose to cancel them, with a message emailed to each patient."""
    _require(request, model_admin.has_add_permission(request))
    clashes: list[Appointment] = []
    if request.method == "POST":
        form = TimeOffAddForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                time_off, cancelled = time_off_add(
                    practitioner=data["practitioner"],
                    start=data["start"],
                    end=data["end"],
                    reason=data["reason"],
                    actor=request.user,
                    cancel_clashing=data["cancel_clashing"],
                    message=data["message"],
                )
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
                return redirect("admin:bookings_timeoff_changelist")
    else:
        today = timezone.localdate()
        form = TimeOffAddForm(
            initial={
                "practitioner": _int(request.GET.get("practitioner")),
                "start_day": today,
                "end_day": today,
            }
        )
    return TemplateResponse(
        request,
        "admin/bookings/time_off_add.html",
        _context(model_admin, request, _("Add time off"), form=form, clashes=clashes),
        status=400 if form.errors else 200,
    )
