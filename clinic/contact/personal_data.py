"""Contact messages: the patient data they hold, and how it is exported, erased and purged."""

from __future__ import annotations

from datetime import datetime

from django.apps import apps
from django.db.models import QuerySet

from clinic.privacy.registry import (
    PersonalData,
    delete_all,
    retention_days,
)


def _contact_find(email: str) -> QuerySet:
    return apps.get_model("contact.ContactMessage").objects.filter(email__iexact=email)


def _contact_purge(now: datetime) -> int:
    model = apps.get_model("contact.ContactMessage")
    expired = model.objects.filter(created_at__lt=now - retention_days("CONTACT_RETENTION_DAYS"))
    return delete_all(expired, now).deleted


PERSONAL_DATA: tuple[PersonalData, ...] = (
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
        erase=delete_all,
        purge=_contact_purge,
        retention="CONTACT_RETENTION_DAYS after the message arrived",
    ),
)

NOT_PATIENT_DATA = {
    "contact.ContactMessageStatusChange": "who answered or closed a message; goes with it",
}
