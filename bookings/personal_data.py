"""Bookings: the patient data they hold, and how it is exported, erased and purged."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q, QuerySet

from clinic.privacy.registry import (
    Outcome,
    PersonalData,
    delete_all,
    kept_with_its_record,
    never_purged,
    retention_days,
)

from .models import Appointment, AppointmentStatusChange, DiscountRedemption, WaitlistEntry
from .services import appointment_cancel


def _appointment_kept_statuses() -> list[str]:
    """Appointments that took place (or were missed) are clinical and financial records."""
    status = Appointment.Status
    return [status.COMPLETED, status.NO_SHOW]


def _appointment_cancelled_statuses() -> list[str]:
    return list(Appointment.CANCELLED_STATUSES)


def _appointment_find(email: str) -> QuerySet:
    return Appointment.objects.filter(patient_email__iexact=email)


def _appointment_erase(queryset: QuerySet, now: datetime) -> Outcome:
    past = queryset.filter(Q(status__in=_appointment_kept_statuses()) | Q(start__lt=now)).exclude(
        status__in=_appointment_cancelled_statuses()
    )
    kept = past.count()
    deleted = 0
    for appointment in queryset.exclude(pk__in=past.values("pk")):
        if appointment.status == Appointment.Status.CONFIRMED:
            # Frees the time (and the discount use) the proper way before the row goes.
            appointment_cancel(
                appointment=appointment, note="Erasure request", notify_patient=False, now=now
            )
        appointment.delete()
        deleted += 1
    return Outcome(
        deleted=deleted,
        kept=kept,
        kept_because=(
            "appointments that took place or were due: clinical and financial records the "
            "clinic must keep (NHS records guidance: 8 years for adults)"
            if kept
            else ""
        ),
    )


def _appointment_purge(now: datetime) -> int:
    expired = Appointment.objects.filter(
        status__in=_appointment_cancelled_statuses(),
        start__lt=now - retention_days("CANCELLED_APPOINTMENT_RETENTION_DAYS"),
    )
    return delete_all(expired, now).deleted


def _redemption_find(email: str) -> QuerySet:
    return DiscountRedemption.objects.filter(email__iexact=email)


def _status_change_find(email: str) -> QuerySet:
    model = AppointmentStatusChange
    return model.objects.filter(appointment__patient_email__iexact=email)


def _waitlist_find(email: str) -> QuerySet:
    return WaitlistEntry.objects.filter(patient_email__iexact=email)


def _waitlist_purge(now: datetime) -> int:
    model = WaitlistEntry
    expired = model.objects.filter(last_day__lt=(now - timedelta(days=1)).date())
    return delete_all(expired, now).deleted


PERSONAL_DATA: tuple[PersonalData, ...] = (
    PersonalData(
        model_label="bookings.Appointment",
        title="Appointments",
        find=_appointment_find,
        export_fields=(
            "reference",
            "start",
            "end",
            "status",
            "patient_name",
            "patient_email",
            "patient_phone",
            "notes",
            "price",
            "discount_code_text",
            "discount_amount",
            "total",
            "booked_via",
            "created_at",
            "privacy_notice_version",
        ),
        erase=_appointment_erase,
        purge=_appointment_purge,
        retention="cancelled: CANCELLED_APPOINTMENT_RETENTION_DAYS; others: clinical record",
        extra={"related": ("practitioner", "service")},
    ),
    PersonalData(
        model_label="bookings.DiscountRedemption",
        title="Discount code uses",
        find=_redemption_find,
        export_fields=("created_at", "email", "sequence"),
        erase=kept_with_its_record,
        purge=never_purged,
        retention="with its appointment",
    ),
    PersonalData(
        model_label="bookings.AppointmentStatusChange",
        title="Appointment history",
        find=_status_change_find,
        export_fields=("created_at", "from_status", "to_status", "source", "note"),
        erase=kept_with_its_record,
        purge=never_purged,
        retention="with its appointment",
    ),
    PersonalData(
        model_label="bookings.WaitlistEntry",
        title="Waiting list",
        find=_waitlist_find,
        export_fields=(
            "created_at",
            "patient_name",
            "patient_email",
            "patient_phone",
            "first_day",
            "last_day",
        ),
        erase=delete_all,
        purge=_waitlist_purge,
        retention="until the last day the patient asked for has passed",
    ),
)

NOT_PATIENT_DATA = {
    "bookings.Service": "the clinic's price list",
    "bookings.Practitioner": "staff profiles the clinic publishes",
    "bookings.WorkingHours": "staff working patterns",
    "bookings.TimeOff": "staff and clinic closures; reasons are for staff, not patients",
    "bookings.ClinicClosure": "days the whole clinic is closed, with a public reason",
    "bookings.DiscountCode": "offer codes; their uses are in DiscountRedemption",
}
