"""Subject access, erasure and retention, across every model in the registry."""

from __future__ import annotations

import hashlib
import hmac
import logging
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from .models import DataSubjectRequest
from .registry import registry

logger = logging.getLogger(__name__)


def email_hash(email: str) -> str:
    """A keyed hash of an address: matches repeat requests without keeping the address."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, email.strip().lower().encode(), hashlib.sha256).hexdigest()


def _value(row, name: str):
    value = getattr(row, name)
    if hasattr(row, f"get_{name}_display"):
        return getattr(row, f"get_{name}_display")()
    return value


def subject_access_export(*, email: str, actor: AbstractBaseUser) -> dict:
    """Everything held about ``email``, as a JSON-ready dict, and a record that it was done."""
    email = email.strip()
    records: dict[str, list[dict]] = {}
    for entry in registry():
        rows = entry.find(email)
        related = entry.extra.get("related", ())
        if related:
            rows = rows.select_related(*related)
        exported = []
        for row in rows:
            item = {name: _value(row, name) for name in entry.export_fields}
            for name in related:
                item[name] = str(getattr(row, name))
            exported.append(item)
        records[entry.title] = exported
    export = {
        "email": email,
        "generated_at": timezone.now(),
        "controller": {
            "name": settings.CLINIC_NAME,
            "address": settings.CLINIC_ADDRESS,
            "email": settings.CLINIC_EMAIL,
        },
        "privacy_notice_version": settings.PRIVACY_NOTICE_VERSION,
        "records": records,
    }
    DataSubjectRequest.objects.create(
        kind=DataSubjectRequest.Kind.EXPORT,
        email_hash=email_hash(email),
        performed_by=actor,
        summary={title: len(rows) for title, rows in records.items()},
    )
    return export


def export_as_json(export: dict) -> str:
    import json

    return json.dumps(export, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


@transaction.atomic
def subject_erase(*, email: str, actor: AbstractBaseUser, now: datetime | None = None) -> dict:
    """Erase what may be erased about ``email``; keep (and say why) what the law requires.

    Returns ``{title: {"deleted": n, "kept": n, "kept_because": "..."}}``.
    """
    now = now or timezone.now()
    email = email.strip()
    summary = {}
    for entry in registry():
        outcome = entry.erase(entry.find(email), now)
        summary[entry.title] = {
            "deleted": outcome.deleted,
            "kept": outcome.kept,
            "kept_because": outcome.kept_because,
        }
    DataSubjectRequest.objects.create(
        kind=DataSubjectRequest.Kind.ERASE,
        email_hash=email_hash(email),
        performed_by=actor,
        summary=summary,
    )
    return summary


def retention_purge(*, now: datetime | None = None) -> dict[str, int]:
    """Delete everything past its retention period; return how many of each went."""
    now = now or timezone.now()
    counts = {}
    for entry in registry():
        with transaction.atomic():
            counts[entry.title] = entry.purge(now)
    counts["Audit entries"] = audit_entries_purge(now=now)
    counts["Expired sessions"] = sessions_purge(now=now)
    logger.info("retention purge: %s", counts)
    return counts


def audit_entries_purge(*, now: datetime) -> int:
    from auditlog.models import LogEntry

    cutoff = now - timezone.timedelta(days=settings.AUDIT_RETENTION_DAYS)
    return LogEntry.objects.filter(timestamp__lt=cutoff).delete()[0]


def sessions_purge(*, now: datetime) -> int:
    """Expired sessions may hold a patient's unsaved self-assessment answers."""
    from django.contrib.sessions.models import Session

    return Session.objects.filter(expire_date__lt=now).delete()[0]
