"""Emails sent: the patient data they hold, and how it is exported, erased and purged."""

from __future__ import annotations

import re
from datetime import datetime

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast

from clinic.privacy.registry import (
    Outcome,
    PersonalData,
    Subject,
    retention_days,
)


def _address_pattern(address: str) -> str:
    """A regex matching ``address`` as a whole address, not inside a longer one."""
    return rf"(^|[^a-z0-9._%+\-]){re.escape(address)}($|[^a-z0-9\-])"


def _notification_find(subject: Subject) -> QuerySet:
    """Every email to or about the person: sent to them, with their address as reply-to (staff
    emails), quoting their address or full name, or about one of their records."""
    model = apps.get_model("notifications.Notification")
    condition = Q(pk__in=[])
    for address in subject.all_emails:
        if not address:
            continue
        pattern = _address_pattern(address)
        condition |= (
            Q(to_text__iregex=pattern)
            | Q(reply_to_text__iregex=pattern)
            | Q(body_text__iregex=pattern)
            | Q(body_html__iregex=pattern)
        )
    for name in subject.names:
        if len(name.split()) >= 2:
            condition |= Q(body_text__icontains=name) | Q(subject__icontains=name)
    by_model: dict[str, list[int]] = {}
    for label, pk in subject.sources:
        by_model.setdefault(label, []).append(pk)
    for label, pks in by_model.items():
        content_type = ContentType.objects.get_for_model(apps.get_model(label))
        condition |= Q(source_type=content_type, source_id__in=pks)
    return model.objects.annotate(
        to_text=Cast("to", TextField()), reply_to_text=Cast("reply_to", TextField())
    ).filter(condition)


def _notification_erase(queryset: QuerySet, now: datetime) -> Outcome:
    """Delete the emails; a notice sent *because of* this erasure (an upcoming appointment it
    cancelled) stays only until it is sent, then deletes itself."""
    leaving = tuple(queryset.filter(erase_after_send=True).values_list("pk", flat=True))
    deleted = apps.get_model("notifications.Notification").objects.filter(
        pk__in=queryset.exclude(pk__in=leaving).values("pk")
    )
    count = deleted.delete()[0]
    return Outcome(
        deleted=count,
        kept=len(leaving),
        kept_because=(
            "the email telling the patient an upcoming appointment is cancelled: it is "
            "deleted as soon as it has been sent"
            if leaving
            else ""
        ),
        kept_rows=leaving,
    )


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
        export_fields=(
            "created_at",
            "sent_at",
            "status",
            "to",
            "reply_to",
            "subject",
            "body_text",
        ),
        erase=_notification_erase,
        purge=_notification_purge,
        retention="NOTIFICATION_RETENTION_DAYS after sending",
        extra={"about_others": True},
    ),
)
