"""Every model that holds personal data about patients, and what UK GDPR requires of it.

Each app declares its own models in its ``personal_data.py`` (discovered like ``admin.py``):
``PERSONAL_DATA``, a tuple of :class:`PersonalData`, and ``NOT_PATIENT_DATA``, the models that
hold none, each with the reason. This module only collects them. Each entry says how to find a
person's rows by email address (subject access and erasure), which fields a subject access
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
from django.db.models import Model, QuerySet

from clinic.discovery import app_modules


@dataclass(frozen=True)
class Outcome:
    """What erasure did with one kind of record."""

    deleted: int = 0
    kept: int = 0
    kept_because: str = ""


@dataclass(frozen=True)
class PersonalData:
    model_label: str
    title: str
    find: Callable[[str], QuerySet]
    export_fields: tuple[str, ...]
    erase: Callable[[QuerySet, datetime], Outcome]
    purge: Callable[[datetime], int]
    retention: str
    extra: dict = field(default_factory=dict)

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.model_label)


def retention_days(setting: str) -> timedelta:
    return timedelta(days=getattr(settings, setting))


def delete_all(queryset: QuerySet, now: datetime) -> Outcome:
    count = queryset.count()
    for row in queryset:
        row.delete()
    return Outcome(deleted=count)


def kept_with_its_record(queryset: QuerySet, now: datetime) -> Outcome:
    """Erasure for rows that belong to another record: erasing that record took them too (it
    runs first), and what is left belongs to a record that is kept."""
    remaining = queryset.count()
    return Outcome(
        kept=remaining,
        kept_because="part of the record of a kept appointment" if remaining else "",
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
