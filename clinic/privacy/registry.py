"""Every model that holds personal data about patients, and what UK GDPR requires of it.

Each app declares its own models in its ``personal_data.py`` (discovered like ``admin.py``):
``PERSONAL_DATA``, a tuple of :class:`PersonalData`, and ``NOT_PATIENT_DATA``, the models that
hold none, each with the reason; the app that keeps patient records also declares
``SUBJECT_FINDERS``, how a person is looked up (by email, or by what staff type) and who they
are (every address, phone number and name on their records). This module only collects them.
Each entry says how to find a person's rows from a :class:`Subject` (subject access and
erasure), which fields a subject access
export contains, what erasure does (delete, or keep a clinical or financial record and say
why), and how long rows are kept before the scheduled purge deletes them.
``tests/clinic/privacy/test_coverage.py`` fails when a model is added to a project app without
being declared one way or the other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.db.models import Model, Q, QuerySet

from clinic.discovery import app_modules


@dataclass(frozen=True)
class Subject:
    """A person whose data is asked for: every identifier their records carry.

    ``emails`` are lower case, ``phones`` normalised, ``names`` as written; ``patient_ids`` are
    their patient records (merged duplicates included). ``sources`` are ``(model label, pk)``
    of every row found about them, filled in before the entries that find rows *about* other
    records (the outbox) are asked.
    """

    email: str
    label: str = ""
    emails: frozenset[str] = frozenset()
    phones: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()
    patient_ids: tuple[int, ...] = ()
    sources: tuple[tuple[str, int], ...] = ()

    @property
    def all_emails(self) -> frozenset[str]:
        return self.emails | {self.email.strip().lower()}


@dataclass(frozen=True)
class Outcome:
    """What erasure did with one kind of record."""

    deleted: int = 0
    kept: int = 0
    kept_because: str = ""
    kept_rows: tuple[int, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class PersonalData:
    """``find`` returns the rows about a subject; ``erase`` erases them and says what it kept
    (``kept_rows``, their pks) and why; ``purge`` deletes rows past retention. ``extra``:
    ``related`` (names exported with each row) and ``about_others`` (found from the other
    entries' rows, so asked last)."""

    model_label: str
    title: str
    find: Callable[[Subject], QuerySet]
    export_fields: tuple[str, ...]
    erase: Callable[[QuerySet, datetime], Outcome]
    purge: Callable[[datetime], int]
    retention: str
    extra: dict = field(default_factory=dict)

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.model_label)


def subject_q(subject: Subject, *, patient: str = "", emails: tuple[str, ...] = ()) -> Q:
    """Rows linked to one of the subject's patient records through ``patient``, or carrying one
    of their addresses (any case) in one of ``emails``: the usual ``find``."""
    condition = Q(pk__in=[])
    if patient and subject.patient_ids:
        condition |= Q(**{f"{patient}__in": subject.patient_ids})
    for address in subject.all_emails:
        for name in emails:
            if address:
                condition |= Q(**{f"{name}__iexact": address})
    return condition


def retention_days(setting: str) -> timedelta:
    return timedelta(days=getattr(settings, setting))


def delete_all(queryset: QuerySet, now: datetime) -> Outcome:
    count = 0
    for row in queryset:
        row.delete()
        count += 1
    return Outcome(deleted=count)


def kept_with_its_record(queryset: QuerySet, now: datetime) -> Outcome:
    """Erasure for rows that belong to another record: erasing that record took them too (it
    runs first), and what is left belongs to a record that is kept."""
    kept = tuple(queryset.values_list("pk", flat=True))
    return Outcome(
        kept=len(kept),
        kept_because="part of the record of a kept appointment" if kept else "",
        kept_rows=kept,
    )


def never_purged(now: datetime) -> int:
    """Retention for rows that go with another record: nothing to purge on their own."""
    return 0


#: The packages whose apps must each declare every model, one way or the other.
PROJECT_PACKAGES = ("articles", "assessments", "bookings", "clinic")


def project_app_labels() -> tuple[str, ...]:
    """The labels of the project's apps that have models."""
    return tuple(
        config.label
        for config in apps.get_app_configs()
        if config.name.split(".")[0] in PROJECT_PACKAGES and config.models_module
    )


def registry() -> tuple[PersonalData, ...]:
    """Every app's patient data, in ``INSTALLED_APPS`` order."""
    return tuple(
        entry
        for module in app_modules("personal_data")
        for entry in getattr(module, "PERSONAL_DATA", ())
    )


def subject_finders() -> list[dict]:
    """Every app's ``SUBJECT_FINDERS``: ``{"for_email": f(email) -> Subject | None,
    "search": f(query) -> list[Subject]}``."""
    return [
        finder
        for module in app_modules("personal_data")
        for finder in getattr(module, "SUBJECT_FINDERS", ())
    ]


def not_patient_data() -> dict[str, str]:
    """Every app's models that hold no patient data, with the reason."""
    reasons: dict[str, str] = {}
    for module in app_modules("personal_data"):
        reasons.update(getattr(module, "NOT_PATIENT_DATA", {}))
    return reasons


def __getattr__(name: str):
    # REGISTRY, NOT_PATIENT_DATA and PROJECT_APP_LABELS are collected on first use, once every
    # app is loaded.
    collectors = {
        "REGISTRY": registry,
        "NOT_PATIENT_DATA": not_patient_data,
        "PROJECT_APP_LABELS": project_app_labels,
    }
    if name in collectors:
        return collectors[name]()
    raise AttributeError(name)
