"""Bookings: the patient data they hold, and how it is exported, erased and purged."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q, QuerySet

from clinic.notifications.services import (
    notification_delete_for_source,
    notification_erase_after_send,
)
from clinic.privacy.registry import (
    Outcome,
    PersonalData,
    Subject,
    kept_with_its_record,
    never_purged,
    retention_days,
    subject_q,
)

from .models import Appointment, AppointmentStatusChange, DiscountRedemption, WaitlistEntry
from .services import appointment_cancel


def _appointment_kept_statuses() -> list[str]:
    """Appointments that took place (or were missed) are clinical and financial records."""
    status = Appointment.Status
    return [status.ARRIVED, status.COMPLETED, status.NO_SHOW]


def _appointment_cancelled_statuses() -> list[str]:
    return list(Appointment.CANCELLED_STATUSES)


def _appointment_find(subject: Subject) -> QuerySet:
    return Appointment.objects.filter(
        subject_q(subject, patient="patient", emails=("patient_email",))
    )


def appointment_erase(*, appointment: Appointment, now: datetime) -> bool:
    """Delete one appointment and its emails. An upcoming one is cancelled first, the proper
    way (the time and any discount use are freed), and the patient is told: that notice is the
    one row left, and it deletes itself once sent. Returns whether the patient was told."""
    told = False
    if appointment.status in (Appointment.Status.CONFIRMED, Appointment.Status.HELD):
        appointment_cancel(appointment=appointment, note="Erasure request", now=now)
        notice = notification_erase_after_send(
            key=f"booking:{appointment.pk}:cancelled:{appointment.version}"
        )
        told = notice is not None
    notification_delete_for_source(source=appointment)
    appointment.delete()
    return told


def _appointment_erase(queryset: QuerySet, now: datetime) -> Outcome:
    past = queryset.filter(Q(status__in=_appointment_kept_statuses()) | Q(start__lt=now)).exclude(
        status__in=_appointment_cancelled_statuses()
    )
    kept = tuple(past.values_list("pk", flat=True))
    deleted = told = 0
    for appointment in queryset.exclude(pk__in=kept):
        told += appointment_erase(appointment=appointment, now=now)
        deleted += 1
    return Outcome(
        deleted=deleted,
        kept=len(kept),
        kept_because=(
            "appointments that took place or were due: clinical and financial records the "
            "clinic must keep (NHS records guidance: 8 years for adults)"
            if kept
            else ""
        ),
        kept_rows=kept,
        note=(
            f"{told} upcoming appointment(s) cancelled; the patient is emailed that it is "
            "cancelled, and that email is deleted once sent"
            if told
            else ""
        ),
    )


def _appointment_purge(now: datetime) -> int:
    expired = Appointment.objects.filter(
        status__in=_appointment_cancelled_statuses(),
        start__lt=now - retention_days("CANCELLED_APPOINTMENT_RETENTION_DAYS"),
    )
    count = 0
    for appointment in expired:
        appointment_erase(appointment=appointment, now=now)
        count += 1
    return count


def _redemption_find(subject: Subject) -> QuerySet:
    return DiscountRedemption.objects.filter(
        subject_q(subject, patient="appointment__patient", emails=("email",))
    )


def _status_change_find(subject: Subject) -> QuerySet:
    return AppointmentStatusChange.objects.filter(
        subject_q(subject, patient="appointment__patient", emails=("appointment__patient_email",))
    )


def _waitlist_find(subject: Subject) -> QuerySet:
    return WaitlistEntry.objects.filter(
        subject_q(subject, patient="patient", emails=("patient_email",))
    )


def _waitlist_erase(queryset: QuerySet, now: datetime) -> Outcome:
    count = 0
    for entry in queryset:
        notification_delete_for_source(source=entry)
        entry.delete()
        count += 1
    return Outcome(deleted=count)


def _waitlist_purge(now: datetime) -> int:
    expired = WaitlistEntry.objects.filter(last_day__lt=(now - timedelta(days=1)).date())
    return _waitlist_erase(expired, now).deleted


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
            "clinical_note",
            "price",
            "discount_code_text",
            "discount_amount",
            "total",
            "booked_via",
            "created_at",
            "hold_expires_at",
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
        erase=_waitlist_erase,
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
