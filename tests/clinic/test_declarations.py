"""Each app declares its own audited models, role grants and demo seeder; clinic only collects.

A declaration that names a model or field that does not exist fails here, and so does an app
whose declarations are no longer found.
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

from django.apps import apps
from django.conf import settings

from clinic.audit import AUDITED_MODELS
from clinic.discovery import app_modules
from clinic.roles import EVERY_MODEL, Role, grants_collect

ROOT = Path(__file__).resolve().parents[2]


def test_every_audited_model_and_masked_field_exists():
    for label, masked in AUDITED_MODELS.items():
        model = apps.get_model(label)
        fields = {field.name for field in model._meta.get_fields()}
        assert set(masked) <= fields, f"{label} masks fields it does not have"


def test_each_app_declares_its_own_audited_models():
    assert {label.split(".")[0] for label in AUDITED_MODELS} == {
        "bookings",
        "assessments",
        "contact",
        "otp_totp",  # declared by clinic: staff authenticators, reset by managers
        "patients",
    }
    assert "phone_normalised" in AUDITED_MODELS["patients.Patient"]
    assert "patient_email" in AUDITED_MODELS["bookings.Appointment"]
    assert "answers" in AUDITED_MODELS["assessments.Submission"]
    assert "message" in AUDITED_MODELS["contact.ContactMessage"]


def test_every_grant_names_an_installed_app_and_model():
    grants = grants_collect()
    assert {grant.role for grant in grants} == set(Role)
    for grant in grants:
        config = apps.get_app_config(grant.app_label)
        if grant.model != EVERY_MODEL:
            assert grant.model in {model._meta.model_name for model in config.get_models()}
        assert bool(grant.actions) != bool(grant.codename), grant


def test_the_demo_seeders_are_found_in_app_order():
    names = [module.__name__ for module in app_modules("demo")]
    assert names == ["clinic.patients.demo", "articles.demo", "bookings.demo"]
    assert all(callable(module.seed) for module in app_modules("demo"))


def test_migrating_bookings_part_of_the_way_on_an_empty_database_works(tmp_path):
    """``post_migrate`` syncs the roles through the migration state it is given, not the
    final models: ``migrate bookings 0002`` on an empty database used to fail."""
    params = settings.DATABASES["default"]
    name = ""
    if params["ENGINE"] == "django.db.backends.postgresql":
        name = f"partial_{uuid.uuid4().hex[:12]}"
        _postgres(params, f'CREATE DATABASE "{name}"')
        host, port = params["HOST"] or "127.0.0.1", params["PORT"] or 5432
        url = f"postgres://{params['USER']}@{host}:{port}/{name}"
    else:
        url = f"sqlite:///{tmp_path / 'partial.sqlite3'}"
    try:
        result = subprocess.run(
            [sys.executable, "manage.py", "migrate", "bookings", "0002", "--no-input"],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": url},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    finally:
        if name:
            _postgres(params, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Applying bookings.0002" in result.stdout


def _postgres(params: dict, statement: str) -> None:
    import psycopg2

    conn = psycopg2.connect(
        dbname="postgres",
        user=params["USER"],
        password=params["PASSWORD"] or None,
        host=params["HOST"] or "127.0.0.1",
        port=params["PORT"] or 5432,
    )
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(statement)
    finally:
        conn.close()
