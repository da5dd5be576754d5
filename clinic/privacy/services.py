"""Subject access, erasure and retention, across every model in the registry.

The registry only collects each app's declarations; this module runs them: finding everything
about a person (:func:`subject_records_find`), exporting it, previewing and carrying out an
erasure, and removing the person's identifiers from the audit log afterwards.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import logging
import re
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from .models import DataSubjectRequest
from .registry import PersonalData, Subject, registry, subject_finders

logger = logging.getLogger(__name__)

ERASED = "[erased]"


def email_hash(email: str) -> str:
    """A keyed hash of an address: matches repeat requests without keeping the address."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, email.strip().lower().encode(), hashlib.sha256).hexdigest()


# --- Who the person is -----------------------------------------------------------------------


def subject_for_email(email: str) -> Subject:
    """The person with this address: every identifier on their patient records, or the
    address alone when there is no record."""
    email = email.strip()
    for finder in subject_finders():
        found = finder["for_email"](email)
        if found is not None:
            return found
    return Subject(email=email, label=email, emails=frozenset({email.lower()}))


def subject_search(query: str) -> list[Subject]:
    """People matching what staff typed (a name, address or phone number)."""
    found = [subject for finder in subject_finders() for subject in finder["search"](query)]
    if not found and "@" in query:
        found = [subject_for_email(query)]
    return found


# --- Finding everything about them -----------------------------------------------------------


def _ordered(entries) -> list[PersonalData]:
    """Entries in the order erasure needs: records first, then the rows about them (the
    outbox), then the patient record itself (deleted once nothing links to it)."""

    def rank(entry: PersonalData) -> int:
        return 2 if entry.extra.get("erase_last") else 1 if entry.extra.get("about_others") else 0

    return sorted(entries, key=rank)


def subject_records_find(
    subject: Subject,
) -> tuple[Subject, list[tuple[PersonalData, QuerySet]]]:
    """Every entry's rows about ``subject``; the subject comes back with ``sources`` filled in
    (the rows found), which the entries that find rows *about* records use."""
    found: list[tuple[PersonalData, QuerySet]] = []
    sources: list[tuple[str, int]] = []
    for entry in _ordered(registry()):
        if entry.extra.get("about_others"):
            subject = dataclasses.replace(subject, sources=tuple(sources))
        rows = entry.find(subject)
        found.append((entry, rows))
        sources += [(entry.model_label, pk) for pk in rows.values_list("pk", flat=True)]
    return dataclasses.replace(subject, sources=tuple(sources)), found


def _value(row, name: str):
    value = getattr(row, name)
    if hasattr(row, f"get_{name}_display"):
        return getattr(row, f"get_{name}_display")()
    return value


def _export_rows(entry: PersonalData, rows: QuerySet) -> list[dict]:
    related = entry.extra.get("related", ())
    if related:
        rows = rows.select_related(*related)
    exported = []
    for row in rows:
        item = {name: _value(row, name) for name in entry.export_fields}
        for name in related:
            item[name] = str(getattr(row, name))
        exported.append(item)
    return exported


def subject_export_build(*, subject: Subject) -> dict:
    """Everything held about the person, as a JSON-ready dict (nothing recorded)."""
    subject, found = subject_records_find(subject)
    records = {entry.title: _export_rows(entry, rows) for entry, rows in found}
    records["Audit log (who changed or viewed their records, and when)"] = _audit_export(subject)
    return {
        "email": subject.email,
        "generated_at": timezone.now(),
        "controller": {
            "name": settings.CLINIC_NAME,
            "address": settings.CLINIC_ADDRESS,
            "email": settings.CLINIC_EMAIL,
        },
        "privacy_notice_version": settings.PRIVACY_NOTICE_VERSION,
        "records": records,
    }


def export_as_json(export: dict) -> str:
    return json.dumps(export, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


# --- Requests ----------------------------------------------------------------------------------


def data_subject_request_record(
    *,
    email: str,
    kind: str,
    actor: AbstractBaseUser | None,
    requested_on=None,
) -> DataSubjectRequest:
    """Record a request as it arrives: its date starts the one-month clock."""
    return DataSubjectRequest.objects.create(
        kind=kind,
        subject_email=email.strip(),
        email_hash=email_hash(email),
        recorded_by=actor,
        requested_on=requested_on or timezone.localdate(),
    )


def _request_complete(
    *,
    email: str,
    kind: str,
    actor: AbstractBaseUser | None,
    summary: dict,
    request: DataSubjectRequest | None,
    requested_on=None,
) -> DataSubjectRequest:
    if request is None:
        request = data_subject_request_record(
            email=email, kind=kind, actor=actor, requested_on=requested_on
        )
    request.kind = kind
    request.status = DataSubjectRequest.Status.COMPLETED
    request.subject_email = ""
    request.email_hash = email_hash(email)
    request.performed_by = actor
    request.performed_at = timezone.now()
    request.summary = summary
    request.save()
    return request


def subject_access_export(
    *,
    email: str,
    actor: AbstractBaseUser | None,
    request: DataSubjectRequest | None = None,
    requested_on=None,
) -> dict:
    """Everything held about the person with ``email``, and a record that it was done."""
    export = subject_export_build(subject=subject_for_email(email))
    _request_complete(
        email=email,
        kind=DataSubjectRequest.Kind.EXPORT,
        actor=actor,
        summary={title: len(rows) for title, rows in export["records"].items()},
        request=request,
        requested_on=requested_on,
    )
    return export


class _DryRun(Exception):
    """Raised to roll a preview back."""


def _erase_all(subject: Subject, now: datetime) -> tuple[dict, dict[str, list[int]]]:
    subject, found = subject_records_find(subject)
    touched: dict[str, list[int]] = {}
    for label, pk in subject.sources:
        touched.setdefault(label, []).append(pk)
    summary = {}
    for entry, rows in found:
        outcome = entry.erase(rows, now)
        summary[entry.title] = {
            "deleted": outcome.deleted,
            "kept": outcome.kept,
            "kept_because": outcome.kept_because,
            "kept_rows": [entry.model_label, list(outcome.kept_rows)],
            "note": outcome.note,
        }
    summary["Audit log"] = {
        "deleted": 0,
        "kept": audit_entries_scrub(subject=subject, records=touched),
        "kept_because": (
            "who did what and when is kept; the person's name, email and phone are removed "
            "from these entries"
        ),
        "kept_rows": ["auditlog.LogEntry", []],
        "note": "",
    }
    return summary, touched


def subject_erase_preview(*, email: str, now: datetime | None = None) -> dict:
    """Exactly what :func:`subject_erase` would do, worked out by doing it and rolling back
    (nothing is sent: emails leave only after a commit)."""
    now = now or timezone.now()
    summary: dict = {}
    try:
        with transaction.atomic():
            summary, _touched = _erase_all(subject_for_email(email), now)
            raise _DryRun
    except _DryRun:
        pass
    return summary


def subject_erase(
    *,
    email: str,
    actor: AbstractBaseUser | None,
    now: datetime | None = None,
    request: DataSubjectRequest | None = None,
    requested_on=None,
) -> dict:
    """Erase what may be erased about the person with ``email``; keep (and say why) what the
    law requires; tell them about upcoming appointments it cancels; remove their identifiers
    from the audit log. Returns ``{title: {"deleted", "kept", "kept_because", "kept_rows",
    "note"}}``."""
    now = now or timezone.now()
    with transaction.atomic():
        summary, _touched = _erase_all(subject_for_email(email), now)
        _request_complete(
            email=email,
            kind=DataSubjectRequest.Kind.ERASE,
            actor=actor,
            summary={
                title: {k: v for k, v in outcome.items() if k != "kept_rows"}
                for title, outcome in summary.items()
            },
            request=request,
            requested_on=requested_on,
        )
    return summary


# --- The audit log --------------------------------------------------------------------------


def _identifier_patterns(subject: Subject) -> list[str]:
    patterns = [re.escape(email) for email in subject.all_emails if email]
    patterns += [re.escape(name) for name in subject.names if name.strip()]
    for phone in subject.phones:
        digits = phone.lstrip("+0")
        if len(digits) >= 6:
            # The number in any spacing: digits with anything but digits between them.
            patterns.append(r"\D*".join(digits))
    return patterns


def _scrub(value, pattern: re.Pattern):
    if isinstance(value, str):
        return pattern.sub(ERASED, value)
    if isinstance(value, list):
        return [_scrub(item, pattern) for item in value]
    if isinstance(value, dict):
        return {key: _scrub(item, pattern) for key, item in value.items()}
    return value


def audit_entries_find(*, subject: Subject, records: dict[str, list[int]]) -> QuerySet:
    """The audit log entries about the person's records, or quoting one of their identifiers."""
    from auditlog.models import LogEntry

    patterns = _identifier_patterns(subject)
    condition = Q(pk__in=[])
    for label, pks in records.items():
        model = ContentType.objects.get_by_natural_key(*label.lower().split("."))
        condition |= Q(content_type=model, object_pk__in=[str(pk) for pk in pks])
    for text in patterns:
        condition |= (
            Q(object_repr__iregex=text)
            | Q(changes_text__iregex=text)
            | Q(changes_as_text__iregex=text)
            | Q(additional_as_text__iregex=text)
        )
    return LogEntry.objects.annotate(
        changes_as_text=Cast("changes", TextField()),
        additional_as_text=Cast("additional_data", TextField()),
    ).filter(condition)


def audit_entries_scrub(*, subject: Subject, records: dict[str, list[int]]) -> int:
    """Remove the person's identifiers from the audit log entries about their records (and any
    other entry quoting them), keeping who did what, to which kind of record, and when."""
    from auditlog.models import LogEntry

    patterns = _identifier_patterns(subject)
    if not patterns:
        return 0
    pattern = re.compile("|".join(patterns), re.IGNORECASE)
    entries = list(audit_entries_find(subject=subject, records=records))
    for entry in entries:
        entry.object_repr = ERASED
        entry.changes = _scrub(entry.changes, pattern)
        entry.changes_text = _scrub(entry.changes_text or "", pattern)
        entry.serialized_data = None
        entry.additional_data = _scrub(entry.additional_data, pattern)
    LogEntry.objects.bulk_update(
        entries,
        ["object_repr", "changes", "changes_text", "serialized_data", "additional_data"],
    )
    return len(entries)


def _audit_export(subject: Subject) -> list[dict]:
    records: dict[str, list[int]] = {}
    for label, pk in subject.sources:
        records.setdefault(label, []).append(pk)
    return [
        {
            "timestamp": entry.timestamp,
            "action": entry.get_action_display(),
            "record": f"{entry.content_type.app_label}.{entry.content_type.model}",
            "fields_changed": sorted((entry.changes or {}).keys())
            if isinstance(entry.changes, dict)
            else [],
        }
        for entry in audit_entries_find(subject=subject, records=records)
        .select_related("content_type")
        .order_by("timestamp")
    ]


# --- Retention -----------------------------------------------------------------------------------


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
