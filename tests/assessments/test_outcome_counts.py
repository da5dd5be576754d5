"""Anonymous outcome counts: the counting service, its constraint and the staff chart."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from assessments.models import OutcomeCount
from assessments.services import outcome_count_record
from assessments.triage import evaluate
from clinic.roles import Role
from tests.conftest import login_staff

from .test_triage import answers

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 12, 1)
CHART = reverse("admin:assessments_outcomecount_chart")


def test_a_result_counts_once_for_its_level_and_once_per_rule():
    outcome_count_record(result=evaluate(answers(u1="yes", u3="not_sure")), day=DAY)
    outcome_count_record(result=evaluate(answers(u1="yes")), day=DAY)
    outcome_count_record(result=evaluate(answers()), day=DAY)

    rows = {
        (r.ruleset_version, r.level, r.rule_id): r.count
        for r in OutcomeCount.objects.filter(day=DAY)
    }
    assert rows == {
        ("v2", "URGENT", ""): 2,
        ("v2", "URGENT", "U1"): 2,
        ("v2", "URGENT", "U3"): 1,
        ("v2", "SELF_CARE", ""): 1,
    }


def test_the_model_holds_no_answers_or_identifiers():
    fields = {field.name for field in OutcomeCount._meta.get_fields()}
    assert fields == {"id", "day", "ruleset_version", "level", "rule_id", "count"}


def test_one_row_per_day_version_level_and_rule():
    OutcomeCount.objects.create(day=DAY, ruleset_version="v2", level="URGENT", rule_id="U1")
    with pytest.raises(IntegrityError), transaction.atomic():
        OutcomeCount.objects.create(day=DAY, ruleset_version="v2", level="URGENT", rule_id="U1")


def test_an_insert_that_loses_the_race_adds_to_the_other_row():
    # Another request inserts the row between our UPDATE (no row yet) and our INSERT.
    result = evaluate(answers())
    real_filter = OutcomeCount.objects.filter
    calls = {"n": 0}

    def racing_filter(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            OutcomeCount.objects.create(
                day=DAY, ruleset_version="v2", level="SELF_CARE", rule_id="", count=1
            )
            return real_filter(pk__in=[])  # our first UPDATE saw no row
        return real_filter(*args, **kwargs)

    with mock.patch.object(OutcomeCount.objects, "filter", side_effect=racing_filter):
        outcome_count_record(result=result, day=DAY)

    assert OutcomeCount.objects.get(day=DAY).count == 2


def test_staff_see_the_chart_with_the_figures(staff_client):
    today = timezone.localdate()
    outcome_count_record(result=evaluate(answers(e1="yes")))
    outcome_count_record(result=evaluate(answers(b5="yes")))

    response = staff_client.get(CHART)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="img"' in page
    assert "2 in all, 1 of them sent to 999, A&amp;E or a GP the same day" in page
    assert f"{today:%a} {today.day} {today:%b %Y}" in page
    assert "<td>E1</td>" in page and "<td>B5</td>" in page
    changelist = staff_client.get(reverse("admin:assessments_outcomecount_changelist"))
    assert CHART in changelist.content.decode()


@pytest.mark.parametrize(
    ("group", "status"),
    [(Role.CLINIC_MANAGER, 200), (Role.PRACTITIONER, 200), (Role.RECEPTIONIST, 403)],
)
def test_who_may_see_the_chart(client, django_user_model, group, status):
    person = django_user_model.objects.create_user(
        username="someone", password="a-long-test-password", is_staff=True
    )
    person.groups.add(Group.objects.get(name=group))
    login_staff(client, person)

    assert client.get(CHART).status_code == status


def test_the_chart_needs_a_staff_login(client):
    response = client.get(CHART)
    assert response.status_code == 302
