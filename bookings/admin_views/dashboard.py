"""The dashboard (today, tomorrow, this week, bookings per week) and the CSV export."""

from datetime import timedelta

from django.db.models import Count
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..admin_forms import (
    ExportForm,
)
from ..charts import bookings_chart_svg
from ..exports import appointments_csv_lines
from ..models import Appointment
from ..selectors import bookings_per_week, discount_code_use_counts
from .common import admin_context, require


def dashboard_view(model_admin, request: HttpRequest) -> TemplateResponse:
    """Today and tomorrow, this week's counts by status, and bookings per week."""
    require(request, model_admin.has_view_permission(request))
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
    # A hold nobody confirmed was never a booking.
    weeks = bookings_per_week(
        appointments=appointments.exclude(status=Appointment.Status.EXPIRED), weeks=12, today=today
    )
    codes = discount_code_use_counts(appointments=appointments.booked_since(weeks[0].week_start))
    return TemplateResponse(
        request,
        "admin/bookings/dashboard.html",
        admin_context(
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
    require(request, model_admin.has_view_permission(request))
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
        admin_context(model_admin, request, _("Export appointments"), form=form),
        status=400 if form.errors else 200,
    )
