"""The back office: stored self-assessments read-only and readable, with a review action."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import Submission

from .factories import SubmissionFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:assessments_submission_changelist")


def test_the_list_filters_by_level_and_reviewed_state(staff_client, staff_user):
    urgent = SubmissionFactory(with_contact=True)
    SubmissionFactory(level="SELF_CARE", rule_ids=[], answers={"e1": "no"})
    SubmissionFactory(level="EMERGENCY", rule_ids=["E1"], answers={"e1": "yes"})

    everything = staff_client.get(CHANGELIST)
    only_urgent = staff_client.get(CHANGELIST, {"level__exact": "URGENT"})
    unreviewed = staff_client.get(CHANGELIST, {"reviewed": "no"})
    reviewed = staff_client.get(CHANGELIST, {"reviewed": "yes"})
    by_email = staff_client.get(CHANGELIST, {"q": "sam@example.com"})
    by_reference = staff_client.get(CHANGELIST, {"q": urgent.public_id.hex[:8]})

    assert everything.status_code == 200
    assert everything.context["cl"].result_count == 3
    assert list(only_urgent.context["cl"].result_list) == [urgent]
    assert unreviewed.context["cl"].result_count == 3
    assert reviewed.context["cl"].result_count == 0
    assert list(by_email.context["cl"].result_list) == [urgent]
    assert list(by_reference.context["cl"].result_list) == [urgent]
    assert "Urgent: GP today or NHS 111" in everything.content.decode()


def test_the_change_page_shows_questions_and_answers_in_words(staff_client):
    submission = SubmissionFactory(
        answers={"e1": "no", "e7": "one", "age": 42, "sit_reach_cm": None},
        rule_ids=["E7_ONE"],
    )

    response = staff_client.get(
        reverse("admin:assessments_submission_change", args=[submission.pk])
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Do you have weakness in your legs that is very bad or getting worse?" in page
    assert "Yes, in one leg" in page
    assert "How old are you?" in page and "<td>42</td>" in page
    assert "(not answered)" in page
    assert "one leg is weak, and it is very bad or getting worse" in page
    assert "E7_ONE" in page
    # Read-only: no inputs for the answers or the result.
    assert 'name="answers"' not in page
    assert 'name="level"' not in page
    assert "v1" in page  # the wording version, shown with the ruleset version


def test_a_v2_submission_is_shown_in_v2_words(staff_client):
    submission = SubmissionFactory(
        ruleset_version="v2",
        wording_version="v2",
        answers={"e7": "not_sure", "b3": "new", "age": 42},
        level="URGENT",
        rule_ids=["E7_ONE", "B3_NEW"],
    )

    page = staff_client.get(
        reverse("admin:assessments_submission_change", args=[submission.pk])
    ).content.decode()

    assert "Is a leg weak in a way that is severe or getting worse?" in page
    assert "Yes, and it started in the last 2 weeks" in page
    assert "Not sure" in page
    assert "one leg became weak in the last 2 weeks" in page
    assert "Do you have weakness in your legs that is very bad" not in page


def test_staff_cannot_add_a_submission(staff_client):
    assert staff_client.get(reverse("admin:assessments_submission_add")).status_code == 403


def test_the_mark_reviewed_action(staff_client, staff_user):
    first, second = SubmissionFactory(), SubmissionFactory()

    response = staff_client.post(
        CHANGELIST,
        {"action": "mark_reviewed", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )

    assert "Marked 2 self-assessments as reviewed." in response.content.decode()
    assert Submission.objects.reviewed().count() == 2
    assert set(Submission.objects.values_list("reviewed_by", flat=True)) == {staff_user.pk}


def test_deleting_in_the_admin_goes_through_the_service(staff_client):
    submission = SubmissionFactory()
    response = staff_client.post(
        reverse("admin:assessments_submission_delete", args=[submission.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert Submission.objects.count() == 0


def test_the_admin_needs_a_staff_login(client):
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert "login" in response["Location"]
