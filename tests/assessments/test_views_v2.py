"""Ruleset v2 through the test client: emergency wording, the exit that needs no session or
database, the two-tier safety net, the problem report link, outcome counts and the reach."""

from __future__ import annotations

import re

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from assessments.models import OutcomeCount, Submission

from .conftest import (
    CLEAR_STEPS,
    STEP1_CLEAR,
    STEP2_CLEAR,
    STEP3_CLEAR,
    STEP4_TIGHT,
    answer_steps,
    step_url,
    with_answers,
)
from .test_views import RESULT_URL, assert_no_booking, html, main_html, triage_level

pytestmark = pytest.mark.django_db

CES_HANDOVER = "I am worried about cauda equina syndrome"


def first_words(response, count: int) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", main_html(response)).split()[:count])


@pytest.mark.parametrize("field", ["e8", "e10"])
def test_chest_pain_or_a_sudden_collapse_leads_with_call_999_now(client, field):
    response = client.post(
        reverse("assessments:start"), with_answers(STEP1_CLEAR, **{field: "yes"})
    )

    assert triage_level(response) == "EMERGENCY"
    assert first_words(response, 3) == "Call 999 now"
    assert CES_HANDOVER not in html(response)
    assert "Do not drive yourself" in html(response)
    assert "Show this page to the people who see you" in html(response)
    assert_no_booking(response)


@pytest.mark.parametrize(
    "changes",
    [
        {"e1": "yes"},
        {"e2": "not_sure"},
        {"e3": "yes"},
        {"e4": "yes"},
        {"e5": "yes"},
        {"e6": "yes"},
        {"e7": "both"},
    ],
    ids=lambda changes: next(iter(changes)),
)
def test_cauda_equina_signs_say_what_to_tell_the_hospital(client, changes):
    response = client.post(reverse("assessments:start"), with_answers(STEP1_CLEAR, **changes))

    main = main_html(response)
    assert first_words(response, 7) == "Call 999 or go to A&amp;E now"
    assert CES_HANDOVER in main
    # Said once, inside the emergency message, before the reasons.
    assert main.index(CES_HANDOVER) < main.index("Why we are saying this")
    assert "now" in main and "today" not in main.lower()


def test_a_serious_accident_gets_no_cauda_equina_handover(client):
    response = client.post(reverse("assessments:start"), with_answers(STEP1_CLEAR, e9="yes"))

    assert triage_level(response) == "EMERGENCY"
    assert CES_HANDOVER not in html(response)


@pytest.mark.django_db(transaction=True)  # as in production: no test transaction around it
def test_the_emergency_exit_needs_neither_the_session_nor_the_database(client):
    def database_down(execute, sql, params, many, context):
        raise OperationalError("the database is down")

    with connection.execute_wrapper(database_down):
        first_page = client.get(reverse("assessments:start"))
        response = client.post(reverse("assessments:start"), {"e1": "yes"})

    assert first_page.status_code == 200
    assert 'name="e10"' in html(first_page)

    assert response.status_code == 200
    assert triage_level(response) == "EMERGENCY"
    page = html(response)
    assert "Call 999 or go to A&amp;E now" in page
    assert CES_HANDOVER in page
    # Nothing can be kept without a session, so the offer to keep the answers is not made.
    assert "Keep your answers" not in page
    assert OutcomeCount.objects.count() == 0


def test_the_emergency_exit_is_rendered_from_the_post_without_a_redirect(client):
    client.get(step_url(1))
    response = client.post(step_url(1), {"e10": "not_sure"})

    assert response.status_code == 200
    assert triage_level(response) == "EMERGENCY"
    assert "Keep your answers" in html(response)


@pytest.mark.parametrize("number", [1, 2, 3, 4])
def test_no_question_page_shows_an_offer_or_a_booking_link(client, number):
    client.get(step_url(1))
    answer_steps(client, *CLEAR_STEPS[: number - 1])

    page = client.get(step_url(number))

    assert page.status_code == 200
    assert "offer-banner" not in html(page)
    assert "nav-book" not in html(page)
    assert_no_booking(page)


@pytest.mark.parametrize(
    ("steps", "level"),
    [
        ((with_answers(STEP1_CLEAR, e1="yes"),), "EMERGENCY"),
        ((STEP1_CLEAR, with_answers(STEP2_CLEAR, u1="yes")), "URGENT"),
        ((STEP1_CLEAR, with_answers(STEP2_CLEAR, age="15"), STEP3_CLEAR), "NOT_ASSESSED"),
    ],
)
def test_no_offer_or_booking_on_emergency_urgent_or_not_assessed(client, steps, level):
    client.get(step_url(1))
    answer_steps(client, *steps) if level != "EMERGENCY" else client.post(step_url(1), steps[0])

    result = client.get(RESULT_URL)

    assert triage_level(result) == level
    assert "offer-banner" not in html(result)
    assert "nav-book" not in html(result)
    assert_no_booking(result)


@pytest.mark.parametrize(
    "steps",
    [
        (STEP1_CLEAR, with_answers(STEP2_CLEAR, u1="yes")),
        (STEP1_CLEAR, with_answers(STEP2_CLEAR, age="15"), STEP3_CLEAR),
        (STEP1_CLEAR, STEP2_CLEAR, with_answers(STEP3_CLEAR, b5="yes"), STEP4_TIGHT),
        CLEAR_STEPS,
    ],
    ids=["urgent", "not-assessed", "book", "self-care"],
)
def test_every_non_emergency_result_has_both_safety_net_tiers(client, steps):
    client.get(step_url(1))
    answer_steps(client, *steps)

    main = main_html(client.get(RESULT_URL))

    emergency = main.index('data-safety-tier="emergency"')
    urgent = main.index('data-safety-tier="urgent"')
    assert emergency < urgent
    assert "Call 999 now if you get any of these" in main
    assert "Speak to a GP or NHS 111 today if you get any of these" in main
    assert "a temperature of 38°C or more" in main
    assert "new weakness in a leg, or weakness that is getting worse" in main
    assert "This is not a diagnosis" in main


def test_the_emergency_result_has_no_safety_net_list(client):
    response = client.post(step_url(1), {"e1": "yes"})
    assert "data-safety-tier" not in html(response)


@pytest.mark.parametrize(
    "steps",
    [
        (with_answers(STEP1_CLEAR, e1="yes"),),
        (STEP1_CLEAR, with_answers(STEP2_CLEAR, u1="yes")),
        (STEP1_CLEAR, with_answers(STEP2_CLEAR, age="15"), STEP3_CLEAR),
        (STEP1_CLEAR, STEP2_CLEAR, with_answers(STEP3_CLEAR, b5="yes"), STEP4_TIGHT),
        CLEAR_STEPS,
    ],
)
def test_each_result_links_to_report_a_problem(client, steps):
    client.get(step_url(1))
    answer_steps(client, *steps) if len(steps) > 1 else client.post(step_url(1), steps[0])

    page = html(client.get(RESULT_URL))

    assert '<a href="/contact/?topic=assessment-tool">Report a problem with this tool</a>' in page


def test_the_contact_form_opens_with_the_topic_preset(client):
    preset = html(client.get("/contact/?topic=assessment-tool"))
    plain = html(client.get("/contact/?topic=nonsense"))

    assert "I want to report a problem with the self-assessment tool." in preset
    assert "self-assessment tool" not in plain


def test_urgent_says_today_with_no_time_window(client):
    client.get(step_url(1))
    answer_steps(client, STEP1_CLEAR, with_answers(STEP2_CLEAR, u8="not_sure"))

    main = main_html(client.get(RESULT_URL))

    assert "Speak to a GP today" in main
    assert "If your GP surgery is closed, call NHS 111" in main
    words = re.sub(r"<[^>]+>", " ", main)  # text only, not tokens in attributes
    assert not re.search(r"\b(24|48)\b", words)
    assert "Do not start the stretches" in main


def test_new_weakness_in_one_leg_is_urgent_at_step_three(client):
    client.get(step_url(1))
    response = answer_steps(client, STEP1_CLEAR, STEP2_CLEAR, with_answers(STEP3_CLEAR, b3="new"))

    assert response["Location"] == RESULT_URL
    result = client.get(RESULT_URL)
    assert triage_level(result) == "URGENT"
    assert_no_booking(result)


def test_the_inflammatory_questions_appear_only_when_they_apply(client):
    client.get(step_url(1))
    answer_steps(client, STEP1_CLEAR, STEP2_CLEAR)
    assert 'name="i1"' not in html(client.get(step_url(3)))

    answer_steps(client, STEP1_CLEAR, with_answers(STEP2_CLEAR, duration="over_12_weeks"))
    page = html(client.get(step_url(3)))
    for field in ("i1", "i2", "i3", "i4"):
        assert f'name="{field}"' in page

    inflammatory = with_answers(STEP3_CLEAR, i1="yes", i2="yes", i3="no", i4="no")
    client.post(step_url(3), inflammatory)
    client.post(step_url(4), STEP4_TIGHT)
    result = client.get(RESULT_URL)
    assert triage_level(result) == "BOOK_ASSESSMENT"
    assert "mention them to your GP" in html(result)


def test_the_reach_in_cm_is_a_signed_number_field(client):
    client.get(step_url(1))
    answer_steps(client, STEP1_CLEAR, STEP2_CLEAR, STEP3_CLEAR)

    page = html(client.get(step_url(4)))

    field = re.search(r'<input[^>]*name="sit_reach_cm"[^>]*>', page, re.S).group(0)
    assert 'type="number"' in field
    assert 'min="-50"' in field and 'max="50"' in field and 'step="1"' in field
    assert 'inputmode="numeric"' not in field


@pytest.mark.parametrize(
    ("choice", "cm", "expected", "absent"),
    [
        ("past_toes", "5", "You reached 5 cm past your toes.", "You reached past your toes."),
        ("short", "-6", "You stopped 6 cm short of your toes.", "You could not reach your toes."),
        ("touched_toes", "0", "You reached your toes.", "You touched your toes."),
        ("past_toes", "-10", "does not match the answer you chose", "10 cm"),
        ("short", "8", "does not match the answer you chose", "8 cm"),
    ],
)
def test_the_reach_result_neither_contradicts_nor_repeats_itself(
    client, choice, cm, expected, absent
):
    client.get(step_url(1))
    tests = with_answers(STEP4_TIGHT, sit_reach=choice, sit_reach_cm=cm)
    answer_steps(client, STEP1_CLEAR, STEP2_CLEAR, STEP3_CLEAR, tests)

    row = re.search(r"Sit-and-reach test</th>.*?</tr>", html(client.get(RESULT_URL)), re.S).group(0)

    assert expected in row
    assert absent not in row


def test_errors_on_a_later_step_are_announced(client):
    client.get(step_url(1))
    answer_steps(client, STEP1_CLEAR)

    response = client.post(step_url(2), with_answers(STEP2_CLEAR, age="abc", u3=""))

    page = html(response)
    assert response.status_code == 200
    assert "<title>Error:" in page
    summary = re.search(r'<div[^>]*id="error-summary"[^>]*>', page).group(0)
    assert 'role="alert"' in summary and "data-focus-on-load" in summary
    assert "Please enter a whole number from 0 to 120." in page
    assert "Please answer this question." in page


# --- Outcome counts ----------------------------------------------------------------------------


def counts() -> dict[tuple[str, str, str], int]:
    return {
        (row.ruleset_version, row.level, row.rule_id): row.count
        for row in OutcomeCount.objects.all()
    }


def test_every_completed_assessment_is_counted_without_storing_answers(client):
    client.get(step_url(1))
    answer_steps(client, STEP1_CLEAR, with_answers(STEP2_CLEAR, u1="yes", u3="yes"))
    client.post(reverse("assessments:restart"))
    client.get(step_url(1))
    answer_steps(client, STEP1_CLEAR, with_answers(STEP2_CLEAR, u1="yes"))
    client.post(step_url(1), {"e1": "yes"})

    assert counts() == {
        ("v2", "URGENT", ""): 2,
        ("v2", "URGENT", "U1"): 2,
        ("v2", "URGENT", "U3"): 1,
        ("v2", "EMERGENCY", ""): 1,
        ("v2", "EMERGENCY", "E1"): 1,
    }
    assert Submission.objects.count() == 0  # nobody consented: no answers kept


def test_an_unfinished_assessment_is_not_counted(client):
    client.get(step_url(1))
    answer_steps(client, STEP1_CLEAR, STEP2_CLEAR)

    assert counts() == {}


def test_a_self_care_result_counts_once_under_its_level(client):
    client.get(step_url(1))
    answer_steps(client, *CLEAR_STEPS)
    client.get(RESULT_URL)
    client.get(RESULT_URL)  # reloading the result is not a new assessment

    assert counts() == {("v2", "SELF_CARE", ""): 1}
