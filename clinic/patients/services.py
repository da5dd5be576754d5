"""Writes to patients: matching an arriving booking, message or assessment to a person, and
staff merging two records of one person.

Matching never merges two records: an arrival joins the current record with its email address,
or failing that the one with its phone number *and* name; otherwise a new record is made.
Duplicates that slip through (a new address, a misspelt name) are merged by staff with
:func:`patient_merge`, which keeps the duplicate row as history.
"""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Patient
from .normalise import email_normalise, name_normalise, phone_normalise


class PatientMergeError(ValueError):
    """Two records that cannot be merged (the same one, or one already merged)."""


def patient_find_match(*, name: str, email: str, phone: str) -> Patient | None:
    """The current record for this person: same email, or same phone and name."""
    email_key, phone_key = email_normalise(email), phone_normalise(phone)
    if email_key:
        match = Patient.objects.current().filter(email_normalised=email_key).first()
        if match is not None:
            return match
        # An address of a duplicate staff merged: the record it was merged into.
        merged = (
            Patient.objects.filter(email_normalised=email_key, merged_into__isnull=False)
            .select_related("merged_into")
            .first()
        )
        if merged is not None:
            return merged.merged_into
    if phone_key and name.strip():
        wanted = name_normalise(name)
        for candidate in Patient.objects.current().filter(phone_normalised=phone_key):
            if name_normalise(candidate.name) == wanted and (
                not email_key or not candidate.email_normalised
            ):
                return candidate
    return None


def patient_match_or_create(
    *,
    name: str,
    email: str = "",
    phone: str = "",
    date_of_birth: date | None = None,
    privacy_notice_version: str = "",
    marketing_consent: bool = False,
    now: datetime | None = None,
) -> Patient:
    """The patient these details belong to, made if new; blanks in a matched record are filled
    (a phone number the patient had not given before), nothing typed before is overwritten."""
    now = now or timezone.now()
    for _attempt in range(2):
        match = patient_find_match(name=name, email=email, phone=phone)
        if match is not None:
            return _fill_blanks(
                match,
                email=email,
                phone=phone,
                date_of_birth=date_of_birth,
                privacy_notice_version=privacy_notice_version,
                marketing_consent_at=now if marketing_consent else None,
            )
        try:
            with transaction.atomic():
                return Patient.objects.create(
                    name=" ".join(name.split()),
                    email=email.strip(),
                    email_normalised=email_normalise(email),
                    phone=phone.strip(),
                    phone_normalised=phone_normalise(phone),
                    date_of_birth=date_of_birth,
                    care_privacy_notice_version=privacy_notice_version,
                    marketing_consent_at=now if marketing_consent else None,
                )
        except IntegrityError:
            # A concurrent arrival created this address's record first: match it instead.
            continue
    raise RuntimeError("patient_match_or_create: no record after a retry")  # pragma: no cover


def _fill_blanks(patient: Patient, **values) -> Patient:
    changed = []
    if values["email"].strip() and not patient.email:
        patient.email, patient.email_normalised = (
            values["email"].strip(),
            email_normalise(values["email"]),
        )
        changed += ["email", "email_normalised"]
    if values["phone"].strip() and not patient.phone:
        patient.phone, patient.phone_normalised = (
            values["phone"].strip(),
            phone_normalise(values["phone"]),
        )
        changed += ["phone", "phone_normalised"]
    for field in ("date_of_birth", "marketing_consent_at"):
        if values[field] and not getattr(patient, field):
            setattr(patient, field, values[field])
            changed.append(field)
    if values["privacy_notice_version"]:
        patient.care_privacy_notice_version = values["privacy_notice_version"]
        changed.append("care_privacy_notice_version")
    if changed:
        patient.save(update_fields=changed)
    return patient


def patient_details_save(*, patient: Patient) -> Patient:
    """Save details edited by staff, keeping the matching forms in step with what was typed."""
    patient.email_normalised = email_normalise(patient.email)
    patient.phone_normalised = phone_normalise(patient.phone)
    patient.save()
    return patient


def _linked_foreign_keys():
    """Every foreign key from another model to Patient (appointments, messages ...), found
    from the model's relations so this app names none of the apps that link to it."""
    for relation in Patient._meta.related_objects:
        if relation.related_model is not Patient and relation.one_to_many:
            yield relation.related_model, relation.field.name


@transaction.atomic
def patient_merge(
    *,
    keep: Patient,
    duplicate: Patient,
    actor: AbstractBaseUser | None,
    now: datetime | None = None,
) -> Patient:
    """Move everything linked to ``duplicate`` onto ``keep``; ``duplicate`` stays as history,
    marked merged (who and when), and no longer matches or appears in searches."""
    now = now or timezone.now()
    rows = {
        row.pk: row
        for row in Patient.objects.select_for_update().filter(pk__in=[keep.pk, duplicate.pk])
    }
    keep, duplicate = rows.get(keep.pk), rows.get(duplicate.pk)
    if keep is None or duplicate is None or keep.pk == duplicate.pk:
        raise PatientMergeError("Choose two different patient records.")
    if keep.merged_into_id or duplicate.merged_into_id:
        raise PatientMergeError("One of these records has already been merged.")
    for model, field in _linked_foreign_keys():
        model.objects.filter(**{field: duplicate}).update(**{field: keep})
    Patient.objects.filter(merged_into=duplicate).update(merged_into=keep)
    duplicate.merged_into, duplicate.merged_at, duplicate.merged_by = keep, now, actor
    duplicate.save(update_fields=["merged_into", "merged_at", "merged_by"])
    return _fill_blanks(
        keep,
        email=duplicate.email,
        phone=duplicate.phone,
        date_of_birth=duplicate.date_of_birth,
        privacy_notice_version="",
        marketing_consent_at=None,
    )


def patient_erase(*, patient: Patient) -> bool:
    """Delete a patient record that nothing links to any more (erasure runs it last); a record
    still linked to a kept clinical record is kept. Returns whether it went."""
    if any(
        model.objects.filter(**{field: patient}).exists() for model, field in _linked_foreign_keys()
    ):
        return False
    Patient.objects.filter(merged_into=patient).delete()
    patient.delete()
    return True
