"""Self-assessments: the patient data they hold, and how it is exported, erased and purged."""

from __future__ import annotations

from datetime import datetime

from django.apps import apps
from django.db.models import Q, QuerySet

from clinic.privacy.registry import (
    Outcome,
    PersonalData,
)


def _submission_find(email: str) -> QuerySet:
    model = apps.get_model("assessments.Submission")
    return model.objects.filter(
        Q(contact_email__iexact=email) | Q(appointments__patient_email__iexact=email)
    ).distinct()


def _submission_erase(queryset: QuerySet, now: datetime) -> Outcome:
    from assessments.services import submission_delete

    status = apps.get_model("bookings.Appointment").Status
    kept_statuses = [status.COMPLETED, status.NO_SHOW]
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


PERSONAL_DATA: tuple[PersonalData, ...] = (
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
)

NOT_PATIENT_DATA = {
    "assessments.OutcomeCount": "anonymous daily counts of self-assessment results, no answers",
}
