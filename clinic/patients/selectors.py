"""Reads: finding a patient as staff type, and the history shown on the patient page."""

from __future__ import annotations

from django.db.models import Q

from .models import Patient, PatientQuerySet
from .normalise import email_normalise, phone_digits_query

SEARCH_LIMIT = 20


def patient_search(*, query: str, limit: int = SEARCH_LIMIT) -> PatientQuerySet:
    """Current patients matching ``query``: part of a name, an email address, a phone number in
    any spacing (``+44`` or ``0``), or a booking reference."""
    query = " ".join((query or "").split())
    if len(query) < 2:
        return Patient.objects.none()
    condition = Q(email_normalised__contains=email_normalise(query))
    words = query.split()
    condition |= Q(*[Q(name__icontains=word) for word in words])
    digits = phone_digits_query(query)
    if digits:
        # A part of the number matches too ("7700 900123" typed without its 0 or +44).
        condition |= Q(phone_normalised__contains=digits.lstrip("0") or digits)
    if _has_relation("appointments") and len(query) >= 6 and " " not in query:
        condition |= Q(appointments__reference__iexact=query)
    return Patient.objects.current().filter(condition).distinct().order_by("name", "pk")[:limit]


def _has_relation(name: str) -> bool:
    return any(relation.name == name for relation in Patient._meta.related_objects)


def _related(patient: Patient, name: str):
    """The rows another app links to ``patient`` through ``name`` (none if that app is not
    installed): this app names no other app."""
    return getattr(patient, name).all() if _has_relation(name) else []


def patient_history(*, patient: Patient, user) -> dict:
    """Everything on the patient page: appointments, counts, discount use, messages, shared
    self-assessments, waitlist and every email to or about them (a fixed number of queries)."""
    from django.utils import timezone

    from clinic.privacy.registry import Subject
    from clinic.privacy.services import subject_records_find

    now = timezone.now()
    appointments = list(
        _related(patient, "appointments")
        .select_related("service", "practitioner", "assessment")
        .order_by("-start")
        if _has_relation("appointments")
        else []
    )
    upcoming = [a for a in appointments if a.status in ("held", "confirmed") and a.start >= now]
    past = [a for a in appointments if a not in upcoming]
    counts = {
        "attended": sum(a.status == "completed" for a in appointments),
        "missed": sum(a.status == "no_show" for a in appointments),
        "cancelled_by_patient": sum(a.status == "cancelled_by_patient" for a in appointments),
        "cancelled_by_clinic": sum(a.status == "cancelled_by_clinic" for a in appointments),
    }
    subject = Subject(
        email=patient.email,
        emails=frozenset({patient.email_normalised} - {""}),
        phones=frozenset({patient.phone_normalised} - {""}),
        names=frozenset({patient.name}),
        patient_ids=(patient.pk,),
    )
    _subject, found = subject_records_find(subject)
    emails = next(
        (rows for entry, rows in found if entry.model_label == "notifications.Notification"),
        None,
    )
    return {
        "upcoming": upcoming,
        "past": past,
        "counts": counts,
        "discounts": [a for a in appointments if a.discount_code_text],
        "messages": list(_related(patient, "contact_messages").order_by("-created_at")[:50])
        if _has_relation("contact_messages")
        else [],
        "assessments": _shared_assessments(appointments, patient, user),
        "waitlist": list(_related(patient, "waitlist_entries").select_related("service"))
        if _has_relation("waitlist_entries")
        else [],
        "emails": list(emails.order_by("-created_at")[:100]) if emails is not None else [],
    }


def _shared_assessments(appointments, patient: Patient, user) -> list:
    """Self-assessments the patient shared (with a booking, or by asking to be contacted), for
    staff allowed to read them."""
    if not user.has_perm("bookings.view_linked_assessment"):
        return []
    found = {a.assessment.pk: a.assessment for a in appointments if a.assessment_id}
    for submission in _related(patient, "assessments"):
        found.setdefault(submission.pk, submission)
    return sorted(found.values(), key=lambda submission: submission.created_at, reverse=True)


def patient_booking_initial(*, patient_id: str | int | None) -> dict:
    """What "book again" fills in on the phone booking form: the patient's details, and the
    service and practitioner of their latest appointment. ``{}`` for an unknown id."""
    if not str(patient_id or "").isdigit():
        return {}
    patient = Patient.objects.current().filter(pk=int(patient_id)).first()
    if patient is None:
        return {}
    initial = {"name": patient.name, "email": patient.email, "phone": patient.phone}
    if _has_relation("appointments"):
        latest = (
            patient.appointments.select_related("service", "practitioner")
            .filter(service__active=True, practitioner__active=True)
            .order_by("-start")
            .first()
        )
        if latest is not None:
            initial.update(service=latest.service, practitioner=latest.practitioner)
    return initial
