"""The v2 migration: submissions stored before it keep the wording they were shown (v1)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("assessments", "0001_initial")]
AFTER = [("assessments", "0002_v2_wording_version_and_outcome_counts")]


@pytest.mark.django_db(transaction=True)
def test_existing_submissions_get_wording_v1():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_state = executor.loader.project_state(BEFORE).apps
    now = timezone.now()
    old_state.get_model("assessments", "Submission").objects.create(
        ruleset_version="v1",
        answers={"e1": "no"},
        level="SELF_CARE",
        rule_ids=[],
        consent_health_storage_at=now,
        privacy_notice_version="2026-11-25",
        retain_until=now.date() + datetime.timedelta(days=365),
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new_state = executor.loader.project_state(AFTER).apps

    stored = new_state.get_model("assessments", "Submission").objects.get()
    assert stored.wording_version == "v1"
