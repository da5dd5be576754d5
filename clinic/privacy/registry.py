"""Every model that holds personal data about patients, and what UK GDPR requires of it.

Each entry says how to find a person's rows by email address (subject access and erasure),
which fields a subject access export contains, what erasure does (delete, or keep a clinical or
financial record and say why), and how long rows are kept before the scheduled purge deletes
them. ``tests/clinic/privacy/test_coverage.py`` fails when a model is added to a project app
without being declared here or in ``NOT_PATIENT_DATA`` with a reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.db.models import Model, Q, QuerySet

# Project apps whose models must each be declared below, one way or the other.
PROJECT_APP_LABELS = ("articles", "bookings", "assessments", "contact", "notifications", "privacy")

NOT_PATIENT_DATA: dict[str, str] = {
    "articles.ArticlePage": "health articles written by staff (Wagtail pages)",
    "articles.ArticleIndexPage": "the page that lists the articles",
    "articles.Tag": "article topics",
    "bookings.Service": "the clinic's price list",
    "bookings.Practitioner": "staff profiles the clinic publishes",
    "bookings.WorkingHours": "staff working patterns",
    "bookings.TimeOff": "staff and clinic closures; reasons are for staff, not patients",
    "bookings.DiscountCode": "offer codes; their uses are in DiscountRedemption",
    "privacy.DataSubjectRequest": "keeps only a keyed hash of the address, as proof of the request",
}


@dataclass(frozen=True)
class Outcome:
    """What erasure did with one kind of record."""

    deleted: int = 0
    kept: int = 0
    kept_because: str = ""


@dataclass(frozen=True)
class PersonalData:
    model_label: str
    title: str
    find: Callable[[str], QuerySet]
    export_fields: tuple[str, ...]
    erase: Callable[[QuerySet, datetime], Outcome]
    purge: Callable[[datetime], int]
    retention: str
    extra: dict = field(default_factory=dict)

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.model_label)


def _days(setting: str) -> timedelta:
    return timedelta(days=getattr(settings, setting))


def _delete_all(queryset: QuerySet, now: datetime) -> Outcome:
    count = queryset.count()
    for row in queryset:
        row.delete()
    return Outcome(deleted=count)


# --- Contact messages ------------------------------------------------------------------------


def _contact_find(email: str) -> QuerySet:
    return apps.get_model("contact.ContactMessage").objects.filter(email__iexact=email)


def _contact_purge(now: datetime) -> int:
    model = apps.get_model("contact.ContactMessage")
    expired = model.objects.filter(created_at__lt=now - _days("CONTACT_RETENTION_DAYS"))
    return _delete_all(expired, now).deleted


# --- Self-assessments ------------------------------------------------------------------------


def _submission_find(email: str) -> QuerySet:
    model = apps.get_model("assessments.Submission")
    return model.objects.filter(
        Q(contact_email__iexact=email) | Q(appointments__patient_email__iexact=email)
    ).distinct()


def _submission_erase(queryset: QuerySet, now: datetime) -> Outcome:
    from assessments.services import submission_delete

    kept_statuses = _appointment_kept_statuses()
    keep = queryset.filter(appointments__status__in=kept_statuses).distinct()
    kept = keep.count()
    deleted = 0
    for submission in queryset.exclude(pk__in=keep.values("pk")):
        submission_delete(submission=submission)
        deleted += 1
    return Outcome(
        deleted=deleted,
        kept=kept,
        kept_because=(
            "shared with the practitioner for an appointment that took place: part of the "
            "clinical record, which the clinic must keep"
            if kept
            else ""
        ),
    )


def _submission_purge(now: datetime) -> int:
    from assessments.services import submission_delete_past_retention

    return submission_delete_past_retention(today=now.date())


# --- Appointments ----------------------------------------------------------------------------


def _appointment_model():
    return apps.get_model("bookings.Appointment")


def _appointment_kept_statuses() -> list[str]:
    """Appointments that took place (or were missed) are clinical and financial records."""
    status = _appointment_model().Status
    return [status.COMPLETED, status.NO_SHOW]


def _appointment_cancelled_statuses() -> list[str]:
    return list(_appointment_model().CANCELLED_STATUSES)


def _appointment_find(email: str) -> QuerySet:
    return _appointment_model().objects.filter(patient_email__iexact=email)


def _appointment_erase(queryset: QuerySet, now: datetime) -> Outcome:
    from bookings.services import appointment_cancel

    model = _appointment_model()
    past = queryset.filter(Q(status__in=_appointment_kept_statuses()) | Q(start__lt=now)).exclude(
        status__in=_appointment_cancelled_statuses()
    )
    kept = past.count()
    deleted = 0
    for appointment in queryset.exclude(pk__in=past.values("pk")):
        if appointment.status == model.Status.CONFIRMED:
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
    expired = _appointment_model().objects.filter(
        status__in=_appointment_cancelled_statuses(),
        start__lt=now - _days("CANCELLED_APPOINTMENT_RETENTION_DAYS"),
    )
    return _delete_all(expired, now).deleted


def _redemption_find(email: str) -> QuerySet:
    return apps.get_model("bookings.DiscountRedemption").objects.filter(email__iexact=email)


def _status_change_find(email: str) -> QuerySet:
    model = apps.get_model("bookings.AppointmentStatusChange")
    return model.objects.filter(appointment__patient_email__iexact=email)


def _goes_with_appointment(queryset: QuerySet, now: datetime) -> Outcome:
    # These rows belong to an appointment: erasing it took them too (the erasure of
    # appointments runs first), and what is left belongs to an appointment that is kept.
    remaining = queryset.count()
    return Outcome(
        kept=remaining,
        kept_because="part of the record of a kept appointment" if remaining else "",
    )


def _no_purge(now: datetime) -> int:
    return 0


# --- Waiting list ----------------------------------------------------------------------------


def _waitlist_find(email: str) -> QuerySet:
    return apps.get_model("bookings.WaitlistEntry").objects.filter(patient_email__iexact=email)


def _waitlist_purge(now: datetime) -> int:
    model = apps.get_model("bookings.WaitlistEntry")
    expired = model.objects.filter(last_day__lt=(now - timedelta(days=1)).date())
    return _delete_all(expired, now).deleted


# --- Emails sent -----------------------------------------------------------------------------


def _notification_find(email: str) -> QuerySet:
    model = apps.get_model("notifications.Notification")
    # Addresses are stored as a JSON list; a text match finds them on every database, and the
    # exact check below drops a longer address that merely contains this one.
    candidates = model.objects.filter(to__icontains=email)
    ids = [
        row.pk
        for row in candidates.only("pk", "to")
        if email.lower() in {address.lower() for address in row.to}
    ]
    return model.objects.filter(pk__in=ids)


def _notification_purge(now: datetime) -> int:
    model = apps.get_model("notifications.Notification")
    expired = model.objects.filter(
        created_at__lt=now - _days("NOTIFICATION_RETENTION_DAYS"),
        status__in=[model.Status.SENT, model.Status.FAILED],
    )
    return expired.delete()[0]


REGISTRY: tuple[PersonalData, ...] = (
    PersonalData(
        model_label="contact.ContactMessage",
        title="Contact messages",
        find=_contact_find,
        export_fields=(
            "created_at",
            "name",
            "email",
            "phone",
            "preferred_contact",
            "message",
            "status",
            "privacy_notice_version",
        ),
        erase=_delete_all,
        purge=_contact_purge,
        retention="CONTACT_RETENTION_DAYS after the message arrived",
    ),
    PersonalData(
        model_label="assessments.Submission",
        title="Self-assessments",
        find=_submission_find,
        export_fields=(
            "created_at",
            "public_id",
            "ruleset_version",
            "level",
            "rule_ids",
            "answers",
            "contact_name",
            "contact_email",
            "contact_phone",
            "privacy_notice_version",
            "retain_until",
        ),
        erase=_submission_erase,
        purge=_submission_purge,
        retention="ASSESSMENT_RETENTION_DAYS unless linked to an appointment",
    ),
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
        erase=_goes_with_appointment,
        purge=_no_purge,
        retention="with its appointment",
    ),
    PersonalData(
        model_label="bookings.AppointmentStatusChange",
        title="Appointment history",
        find=_status_change_find,
        export_fields=("created_at", "from_status", "to_status", "source", "note"),
        erase=_goes_with_appointment,
        purge=_no_purge,
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
        erase=_delete_all,
        purge=_waitlist_purge,
        retention="until the last day the patient asked for has passed",
    ),
    PersonalData(
        model_label="notifications.Notification",
        title="Emails we sent",
        find=_notification_find,
        export_fields=("created_at", "sent_at", "status", "to", "subject", "body_text"),
        erase=_delete_all,
        purge=_notification_purge,
        retention="NOTIFICATION_RETENTION_DAYS after sending",
    ),
)


def registry_entry(model_label: str) -> PersonalData | None:
    return next((entry for entry in REGISTRY if entry.model_label == model_label), None)
