"""Contact messages: the patient data they hold, and how it is exported, erased and purged."""

from __future__ import annotations

from datetime import datetime

from django.apps import apps
from django.db.models import QuerySet

from clinic.notifications.services import notification_delete_for_source
from clinic.privacy.registry import (
    Outcome,
    PersonalData,
    Subject,
    retention_days,
    subject_q,
)


def _contact_find(subject: Subject) -> QuerySet:
    return apps.get_model("contact.ContactMessage").objects.filter(
        subject_q(subject, patient="patient", emails=("email",))
    )


def _contact_erase(queryset: QuerySet, now: datetime) -> Outcome:
    count = 0
    for contact_message in queryset:
        notification_delete_for_source(source=contact_message)
        contact_message.delete()
        count += 1
    return Outcome(deleted=count)


def _contact_purge(now: datetime) -> int:
    model = apps.get_model("contact.ContactMessage")
    expired = model.objects.filter(created_at__lt=now - retention_days("CONTACT_RETENTION_DAYS"))
    return _contact_erase(expired, now).deleted


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
        erase=_contact_erase,
        purge=_contact_purge,
        retention="CONTACT_RETENTION_DAYS after the message arrived",
    ),
)

NOT_PATIENT_DATA = {
    "contact.ContactMessageStatusChange": "who answered or closed a message; goes with it",
}
