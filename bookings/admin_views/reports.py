"""Managers' reports: each a chart, a table and a CSV download, for a range of days."""

import csv
from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..admin_forms import ExportForm
from ..charts import bar_chart_svg
from ..exports import csv_cell
from ..reports import REPORTS, report_build
from .common import admin_context, require, visible_practitioners


def reports_view(model_admin, request: HttpRequest) -> HttpResponse:
    """Every report for the range chosen; ``?report=<slug>&format=csv`` downloads one."""
    require(request, request.user.has_perm("bookings.view_reports"))
    today = timezone.localdate()
    form = ExportForm(
        request.GET if "first_day" in request.GET else None,
        initial={"first_day": today - timedelta(days=27), "last_day": today},
    )
    first_day, last_day = today - timedelta(days=27), today
    if form.is_bound and form.is_valid():
        first_day, last_day = form.cleaned_data["first_day"], form.cleaned_data["last_day"]
    appointments = model_admin.get_queryset(request)
    practitioners = visible_practitioners(request)

    def build(slug: str):
        return report_build(
            slug=slug,
            appointments=appointments,
            practitioners=practitioners,
            first_day=first_day,
            last_day=last_day,
        )

    wanted = request.GET.get("report", "")
    if request.GET.get("format") == "csv" and wanted in REPORTS and not form.errors:
        return _csv(build(wanted), first_day, last_day)
    reports = []
    for slug in REPORTS:
        report = build(slug)
        chart = bar_chart_svg(
            title=report.title, bars=report.chart, unit=report.chart_unit, chart_id=f"chart-{slug}"
        )
        reports.append({"report": report, "chart": chart})
    return TemplateResponse(
        request,
        "admin/bookings/reports.html",
        admin_context(
            model_admin,
            request,
            _("Reports"),
            form=form,
            reports=reports,
            first_day=first_day,
            last_day=last_day,
        ),
        status=400 if form.errors else 200,
    )


def _csv(report, first_day, last_day) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{report.slug}-{first_day:%Y%m%d}-{last_day:%Y%m%d}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow([csv_cell(c) for c in report.columns])
    for row in report.rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return response
