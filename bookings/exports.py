"""Appointments as CSV for a spreadsheet, safe to open in Excel or LibreOffice.

A cell that begins with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) would be run as
a formula by a spreadsheet, and patients type their own names and notes: such cells get a
leading apostrophe (OWASP's advice), which the spreadsheet shows as text.
"""

import csv
from collections.abc import Iterable, Iterator

from django.utils import timezone

from clinic.audit import audit_export

from .models import Appointment

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

HEADER = [
    "Reference",
    "Start",
    "End",
    "Service",
    "Practitioner",
    "Status",
    "Patient name",
    "Patient email",
    "Patient phone",
    "Price",
    "Discount code",
    "Discount",
    "Total",
    "Booked via",
    "Booked at",
]


def csv_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def appointment_rows(appointments: Iterable[Appointment]) -> Iterator[list[str]]:
    yield HEADER
    for a in appointments:
        yield [
            csv_cell(value)
            for value in (
                a.reference,
                timezone.localtime(a.start).strftime("%Y-%m-%d %H:%M"),
                timezone.localtime(a.end).strftime("%Y-%m-%d %H:%M"),
                a.service.name,
                a.practitioner.name,
                a.get_status_display(),
                a.patient_name,
                a.patient_email,
                a.patient_phone,
                f"{a.price:.2f}",
                a.discount_code_text,
                f"{a.discount_amount:.2f}",
                f"{a.total:.2f}",
                a.get_booked_via_display(),
                timezone.localtime(a.created_at).strftime("%Y-%m-%d %H:%M"),
            )
        ]


def appointments_csv_lines(appointments: Iterable[Appointment]) -> Iterator[str]:
    """CSV text line by line (for a streaming response), starting with a UTF-8 BOM for Excel.

    The export of patients' contact details is logged now, while the request is being handled
    (the lines themselves are written later, as the response streams).
    """
    audit_export(model=Appointment, description="appointments with patients' contact details")
    return _csv_lines(appointments)


def _csv_lines(appointments: Iterable[Appointment]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for row in appointment_rows(appointments):
        yield writer.writerow(row)
