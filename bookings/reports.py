"""Managers' reports: selectors that answer each in one or two queries, whatever the data.

Each report is a :class:`Report`: a title, column headings, rows (for the table and the CSV)
and the figures its chart draws. The range is the clinic's local days ``first_day`` to
``last_day``, by appointment start (bookings by source and code use: by the day booked).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Lower, Trim
from django.utils.translation import gettext_lazy as _

from .days import local_days_span
from .models import Appointment, Practitioner

Status = Appointment.Status


@dataclass
class Report:
    slug: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    #: (label, value) pairs the chart draws, and what the value means.
    chart: list[tuple[str, float]] = field(default_factory=list)
    chart_unit: str = ""


def _rate(part: int, whole: int) -> Decimal:
    return (Decimal(100) * part / whole).quantize(Decimal("0.1")) if whole else Decimal(0)


def report_attendance(*, appointments: QuerySet, first_day: date, last_day: date) -> Report:
    """No-shows and late cancellations (by the patient, inside the cut-off) per practitioner."""
    start, end = local_days_span(first_day, last_day)
    cutoff = timedelta(hours=settings.BOOKING_CANCEL_CUTOFF_HOURS)
    rows = (
        appointments.filter(start__gte=start, start__lt=end)
        .exclude(status=Status.EXPIRED)  # a hold nobody confirmed was never booked
        .values("practitioner__name")
        .annotate(
            booked=Count("pk"),
            attended=Count("pk", filter=Q(status=Status.COMPLETED)),
            no_show=Count("pk", filter=Q(status=Status.NO_SHOW)),
            late=Count(
                "pk",
                filter=Q(status=Status.CANCELLED_BY_PATIENT, cancelled_at__gt=F("start") - cutoff),
            ),
        )
        .order_by("practitioner__name")
    )
    report = Report(
        "attendance",
        str(_("No-shows and late cancellations")),
        [
            str(_("Practitioner")),
            str(_("Booked")),
            str(_("Attended")),
            str(_("Did not attend")),
            str(_("No-show rate %")),
            str(_("Late cancellations")),
            str(_("Late cancellation rate %")),
        ],
        chart_unit="%",
    )
    for row in rows:
        no_show_rate, late_rate = (
            _rate(row["no_show"], row["booked"]),
            _rate(row["late"], row["booked"]),
        )
        report.rows.append(
            [
                row["practitioner__name"],
                row["booked"],
                row["attended"],
                row["no_show"],
                no_show_rate,
                row["late"],
                late_rate,
            ]
        )
        report.chart.append((f"{row['practitioner__name']}: {_('no-show')}", float(no_show_rate)))
        report.chart.append((f"{row['practitioner__name']}: {_('late')}", float(late_rate)))
    return report


def _working_minutes(practitioner: Practitioner, first_day: date, last_day: date) -> int:
    per_weekday = [0] * 7
    for hours in practitioner.working_hours.all():
        minutes = (hours.end.hour * 60 + hours.end.minute) - (
            hours.start.hour * 60 + hours.start.minute
        )
        per_weekday[hours.weekday] += minutes
    days = (last_day - first_day).days + 1
    return sum(per_weekday[(first_day + timedelta(days=i)).weekday()] for i in range(days))


def report_utilisation(
    *, appointments: QuerySet, first_day: date, last_day: date, practitioners: QuerySet
) -> Report:
    """Booked time as a share of working hours, per practitioner (time off still counted)."""
    start, end = local_days_span(first_day, last_day)
    booked = dict(
        appointments.active()
        .filter(start__gte=start, start__lt=end)
        .values("practitioner_id")
        .annotate(time=Sum(F("end") - F("start")))
        .values_list("practitioner_id", "time")
    )
    report = Report(
        "utilisation",
        str(_("Utilisation per practitioner")),
        [
            str(_("Practitioner")),
            str(_("Booked hours")),
            str(_("Working hours")),
            str(_("Utilisation %")),
        ],
        chart_unit="%",
    )
    for practitioner in practitioners.prefetch_related("working_hours"):
        working = _working_minutes(practitioner, first_day, last_day)
        minutes = int((booked.get(practitioner.pk) or timedelta()).total_seconds() // 60)
        rate = _rate(minutes, working)
        report.rows.append(
            [practitioner.name, round(minutes / 60, 1), round(working / 60, 1), rate]
        )
        report.chart.append((practitioner.name, float(rate)))
    return report


def report_new_returning(*, appointments: QuerySet, first_day: date, last_day: date) -> Report:
    """Appointments of patients new to the clinic, and of returning ones (an earlier
    appointment under the same email, trimmed and lower-cased, until the patient record)."""
    start, end = local_days_span(first_day, last_day)
    email = Lower(Trim("patient_email"))
    earlier = (
        Appointment.objects.annotate(key=Lower(Trim("patient_email")))
        .filter(key=OuterRef("key"), start__lt=OuterRef("start"))
        .exclude(status__in=Appointment.CANCELLED_STATUSES)
    )
    counts = (
        appointments.active()
        .filter(start__gte=start, start__lt=end)
        .annotate(key=email, is_returning=Exists(earlier))
        .aggregate(
            unknown=Count("pk", filter=Q(key="")),
            returning=Count("pk", filter=Q(is_returning=True) & ~Q(key="")),
            new=Count("pk", filter=Q(is_returning=False) & ~Q(key="")),
        )
    )
    labels = [
        ("new", _("New patients")),
        ("returning", _("Returning patients")),
        ("unknown", _("No email given")),
    ]
    report = Report(
        "patients",
        str(_("New and returning patients")),
        [str(_("Patients")), str(_("Appointments"))],
    )
    for key, label in labels:
        report.rows.append([str(label), counts[key]])
        report.chart.append((str(label), counts[key]))
    return report


def _grouped(
    *, appointments: QuerySet, first_day: date, last_day: date, by: str, label: Callable
) -> list[tuple[str, int, Decimal]]:
    start, end = local_days_span(first_day, last_day)
    rows = (
        appointments.filter(created_at__gte=start, created_at__lt=end)
        .values(by)
        .annotate(n=Count("pk"), discount=Sum("discount_amount"))
        .order_by("-n", by)
    )
    return [(label(row[by]), row["n"], row["discount"] or Decimal("0.00")) for row in rows]


def report_sources(*, appointments: QuerySet, first_day: date, last_day: date) -> Report:
    """Bookings made in the range, by where they came from (a hold nobody confirmed was never a
    booking)."""
    names = dict(Appointment.BookedVia.choices)
    report = Report("sources", str(_("Bookings by source")), [str(_("Source")), str(_("Bookings"))])
    for label, n, _discount in _grouped(
        appointments=appointments.exclude(status=Status.EXPIRED),
        first_day=first_day,
        last_day=last_day,
        by="booked_via",
        label=lambda value: str(names.get(value, value)),
    ):
        report.rows.append([label, n])
        report.chart.append((label, n))
    return report


def report_codes(*, appointments: QuerySet, first_day: date, last_day: date) -> Report:
    """Discount codes used on bookings made in the range, and what they took off.

    Counted as the code page counts its uses: a cancelled booking gave its use back.
    """
    report = Report(
        "codes",
        str(_("Discount code use")),
        [str(_("Code")), str(_("Bookings")), str(_("Discount given (£)"))],
    )
    for label, n, discount in _grouped(
        appointments=appointments.active().exclude(discount_code_text=""),
        first_day=first_day,
        last_day=last_day,
        by="discount_code_text",
        label=str,
    ):
        report.rows.append([label, n, discount])
        report.chart.append((label, n))
    return report


REPORTS = {
    "attendance": report_attendance,
    "utilisation": report_utilisation,
    "patients": report_new_returning,
    "sources": report_sources,
    "codes": report_codes,
}


def report_build(
    *, slug: str, appointments: QuerySet, practitioners: QuerySet, first_day: date, last_day: date
) -> Report:
    builder = REPORTS[slug]
    kwargs = {"appointments": appointments, "first_day": first_day, "last_day": last_day}
    if slug == "utilisation":
        kwargs["practitioners"] = practitioners
    return builder(**kwargs)


__all__ = ["REPORTS", "Report", "report_build"]
