"""Linking records that existed before patient records to one (used by the data migrations of
the apps that link to Patient). Works on migration-state models, so it imports no app."""

from __future__ import annotations

from .normalise import email_normalise, name_normalise, phone_normalise


def records_link(apps, *, model_label: str, name: str, email: str, phone: str, only=None) -> int:
    """Give every row of ``model_label`` without a patient the matching patient (same email, or
    same phone and name), creating one when none matches. Returns how many were linked."""
    patient_model = apps.get_model("patients", "Patient")
    model = apps.get_model(*model_label.split("."))
    rows = model.objects.filter(patient__isnull=True, **(only or {})).order_by("pk")
    linked = 0
    for row in rows.iterator():
        values = {
            "name": getattr(row, name),
            "email": getattr(row, email),
            "phone": getattr(row, phone),
        }
        patient = _match(patient_model, **values) or patient_model.objects.create(
            name=" ".join(values["name"].split()),
            email=values["email"].strip(),
            email_normalised=email_normalise(values["email"]),
            phone=values["phone"].strip(),
            phone_normalised=phone_normalise(values["phone"]),
        )
        model.objects.filter(pk=row.pk).update(patient=patient)
        linked += 1
    return linked


def _match(patient_model, *, name: str, email: str, phone: str):
    current = patient_model.objects.filter(merged_into__isnull=True)
    if email_normalise(email):
        found = current.filter(email_normalised=email_normalise(email)).first()
        if found is not None:
            return found
    if phone_normalise(phone) and name.strip():
        for candidate in current.filter(phone_normalised=phone_normalise(phone)):
            if name_normalise(candidate.name) == name_normalise(name):
                return candidate
    return None
