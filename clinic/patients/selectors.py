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
