"""Patient records: the patient data they hold, how a person is found, and how their record is
exported, erased and purged (collected by ``clinic.privacy.registry``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q, QuerySet

from clinic.privacy.registry import Outcome, PersonalData, Subject

from .models import Patient
from .normalise import email_normalise
from .selectors import patient_search
from .services import patient_erase

#: A record nothing links to any more (its bookings and messages were purged) goes after this.
UNLINKED_RETENTION = timedelta(days=30)


def _people(patients: QuerySet) -> list[Patient]:
    """``patients`` with the records merged into them and the record they were merged into:
    a merge said these are one person."""
    ids = set(patients.values_list("pk", flat=True))
    ids |= set(patients.exclude(merged_into=None).values_list("merged_into", flat=True))
    return list(Patient.objects.filter(Q(pk__in=ids) | Q(merged_into__in=ids)))


def _subject(email: str, people: list[Patient]) -> Subject:
    current = next((p for p in people if p.merged_into_id is None), None)
    return Subject(
        email=email or (current.email if current else ""),
        label=f"{current.name} ({current.email or current.phone})" if current else email,
        emails=frozenset(p.email_normalised for p in people if p.email_normalised),
        phones=frozenset(p.phone_normalised for p in people if p.phone_normalised),
        names=frozenset(p.name for p in people if p.name),
        patient_ids=tuple(sorted(p.pk for p in people)),
    )


def subject_for_email(email: str) -> Subject | None:
    people = _people(Patient.objects.filter(email_normalised=email_normalise(email)))
    return _subject(email.strip(), people) if people else None


def subject_search(query: str) -> list[Subject]:
    found = []
    for patient in patient_search(query=query):
        found.append(_subject(patient.email, _people(Patient.objects.filter(pk=patient.pk))))
    return found


SUBJECT_FINDERS = ({"for_email": subject_for_email, "search": subject_search},)


def _patient_find(subject: Subject) -> QuerySet:
    emails = [email for email in subject.all_emails if email]
    return Patient.objects.filter(Q(pk__in=subject.patient_ids) | Q(email_normalised__in=emails))


def _patient_erase(queryset: QuerySet, now: datetime) -> Outcome:
    deleted, kept = 0, []
    # Merged duplicates first: the record they point at is deleted after them.
    for patient in sorted(queryset, key=lambda row: row.merged_into_id is None):
        if Patient.objects.filter(pk=patient.pk).exists() and not patient_erase(patient=patient):
            kept.append(patient.pk)
            # Kept only to name whose clinical record it is: no more marketing, no alert.
            Patient.objects.filter(pk=patient.pk).update(marketing_consent_at=None, alert_note="")
        else:
            deleted += 1
    return Outcome(
        deleted=deleted,
        kept=len(kept),
        kept_because=(
            "linked to records the clinic must keep (appointments that took place): the name "
            "and contact details identify whose clinical record it is (marketing consent and "
            "the alert note are removed)"
            if kept
            else ""
        ),
        kept_rows=tuple(kept),
    )


def _patient_purge(now: datetime) -> int:
    count = 0
    old = Patient.objects.current().filter(created_at__lt=now - UNLINKED_RETENTION)
    for patient in old.iterator():
        count += patient_erase(patient=patient)
    return count


PERSONAL_DATA: tuple[PersonalData, ...] = (
    PersonalData(
        model_label="patients.Patient",
        title="Patient record",
        find=_patient_find,
        export_fields=(
            "created_at",
            "name",
            "date_of_birth",
            "email",
            "phone",
            "preferred_contact",
            "alert_note",
            "care_privacy_notice_version",
            "marketing_consent_at",
            "merged_at",
        ),
        erase=_patient_erase,
        purge=_patient_purge,
        retention=f"while anything links to it, then {UNLINKED_RETENTION.days} days",
        extra={"erase_last": True},
    ),
)
