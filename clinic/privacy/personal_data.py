"""Requests under UK GDPR: an open request keeps the address it is about until it is carried
out; a completed one keeps only a reference, dates, who handled it and a keyed hash (collected
by ``clinic.privacy.registry``)."""

from __future__ import annotations

from datetime import datetime

from django.apps import apps
from django.db.models import QuerySet

from clinic.privacy.registry import Outcome, PersonalData, Subject, never_purged, subject_q


def _request_find(subject: Subject) -> QuerySet:
    model = apps.get_model("privacy.DataSubjectRequest")
    return model.objects.filter(subject_q(subject, emails=("subject_email",)))


def _request_erase(queryset: QuerySet, now: datetime) -> Outcome:
    """Open requests about the person are closed by the erasure: their address goes, their
    reference and dates stay as proof."""
    closed = queryset.update(
        status="completed",
        subject_email="",
        performed_at=now,
        summary={"closed": "carried out by an erasure of the same person"},
    )
    return Outcome(deleted=closed)


PERSONAL_DATA: tuple[PersonalData, ...] = (
    PersonalData(
        model_label="privacy.DataSubjectRequest",
        title="Requests about their data",
        find=_request_find,
        export_fields=("reference", "kind", "status", "requested_on", "performed_at"),
        erase=_request_erase,
        purge=never_purged,
        retention="the address until the request is carried out; then a keyed hash, as proof",
    ),
)
