"""Every model in the project's apps is declared: patient data (with export, erasure and
retention) or not patient data (with a reason). A new model fails here until someone decides."""

import pytest
from django.apps import apps
from django.db import models

from clinic.privacy.registry import NOT_PATIENT_DATA, PROJECT_APP_LABELS, REGISTRY

PERSONAL_FIELD_HINTS = ("email", "phone", "name", "answers", "message", "notes")


def _project_models() -> list[str]:
    return [
        model._meta.label
        for label in PROJECT_APP_LABELS
        for model in apps.get_app_config(label).get_models()
        if not model._meta.proxy  # a proxy stores nothing of its own: its concrete model does
    ]


def test_every_project_model_is_declared_exactly_once():
    registered = {entry.model_label for entry in REGISTRY}
    assert not registered & set(NOT_PATIENT_DATA), "declared both ways"
    undeclared = set(_project_models()) - registered - set(NOT_PATIENT_DATA)
    assert not undeclared, (
        f"{sorted(undeclared)} hold data nobody has classified: add them to "
        "their app's personal_data.py (PERSONAL_DATA with export, erasure and retention, or "
        "NOT_PATIENT_DATA with the reason)"
    )


@pytest.mark.parametrize("entry", REGISTRY, ids=lambda entry: entry.model_label)
def test_each_entry_exports_real_fields_and_has_every_duty(entry):
    field_names = {field.name for field in entry.model._meta.get_fields()}
    assert set(entry.export_fields) <= field_names
    assert callable(entry.find) and callable(entry.erase) and callable(entry.purge)
    assert entry.retention


@pytest.mark.parametrize("label", sorted(NOT_PATIENT_DATA))
def test_models_declared_not_patient_data_have_no_patient_contact_fields(label):
    model = apps.get_model(label)
    suspicious = [
        field.name
        for field in model._meta.get_fields()
        if isinstance(field, models.EmailField)
        or (field.name.startswith("patient") and field.concrete)
    ]
    assert not suspicious, f"{label} has {suspicious}: is it really not patient data?"


@pytest.mark.parametrize("entry", REGISTRY, ids=lambda entry: entry.model_label)
def test_registered_models_do_hold_personal_fields(entry):
    names = " ".join(field.name for field in entry.model._meta.get_fields())
    assert any(hint in names for hint in PERSONAL_FIELD_HINTS) or "to" in names
