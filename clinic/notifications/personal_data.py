"""Emails sent: the patient data they hold, and how it is exported, erased and purged."""

from __future__ import annotations

from datetime import datetime

from django.apps import apps
from django.db.models import QuerySet

from clinic.privacy.registry import (
    PersonalData,
    delete_all,
    retention_days,
)


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
        created_at__lt=now - retention_days("NOTIFICATION_RETENTION_DAYS"),
        status__in=[model.Status.SENT, model.Status.FAILED],
    )
    return expired.delete()[0]


PERSONAL_DATA: tuple[PersonalData, ...] = (
    PersonalData(
        model_label="notifications.Notification",
        title="Emails we sent",
        find=_notification_find,
        export_fields=("created_at", "sent_at", "status", "to", "subject", "body_text"),
        erase=delete_all,
        purge=_notification_purge,
        retention="NOTIFICATION_RETENTION_DAYS after sending",
    ),
)
