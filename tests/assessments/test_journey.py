"""The questionnaire's session state and the step-1 emergency exit, without requests."""

from __future__ import annotations

import pytest
from django.urls import resolve, reverse

from assessments.journey import Progress
from assessments.triage import Level, TriageValidationError, evaluate

from .conftest import CLEAR_STEPS, STEP1_CLEAR, STEP2_CLEAR, STEP3_CLEAR, with_answers


@pytest.mark.parametrize("field", ["e1", "e2", "e3", "e4", "e5", "e6", "e8", "e9"])
@pytest.mark.parametrize("value", ["yes", "not_sure"])
def test_any_single_emergency_answer_is_enough(field, value):
    result = evaluate({field: value}, through_step=1)
    assert result.level is Level.EMERGENCY
    assert result.rule_ids == (field.upper(),)


def test_both_legs_weak_alone_is_enough():
    assert evaluate({"e7": "both"}, through_step=1).rule_ids == ("E7_BOTH",)


@pytest.mark.parametrize(
    "answers", [{}, {"e1": "no"}, {"e7": "one"}, {"e1": "maybe"}, {"e1": ["yes"]}, {"u1": "yes"}]
)
def test_no_emergency_without_a_valid_emergency_answer(answers):
    with pytest.raises(TriageValidationError):
        evaluate(answers, through_step=1)


def test_reasons_are_most_serious_first():
    result = evaluate({"e7": "one", "e9": "yes"}, through_step=1)
    assert result.rule_ids == ("E9", "E7_ONE")


def test_missing_answers_without_an_emergency_stay_an_error():
    with pytest.raises(TriageValidationError) as error:
        evaluate({"e1": "no", "e7": "one"}, through_step=1)
    assert "e2" in error.value.errors
    assert "e7" not in error.value.errors


def test_complete_answers_go_through_the_engine_unchanged():
    result = evaluate(with_answers(STEP1_CLEAR, e3="yes"), through_step=1)
    assert result.level is Level.EMERGENCY
    assert set(result.cleaned) == set(STEP1_CLEAR)


def test_progress_opens_steps_in_order_only():
    progress = Progress()
    assert progress.step_is_open(1)
    assert not progress.step_is_open(2)
    assert progress.resume_step() == 1

    progress.record_step(1, STEP1_CLEAR)
    assert progress.step_is_open(2)
    assert not progress.step_is_open(3)
    assert progress.resume_step() == 2

    progress.record_step(2, with_answers(STEP2_CLEAR, u6="yes"))
    progress.record_step(3, STEP3_CLEAR)
    assert not progress.step_is_open(4)  # urgent: no flexibility tests
    assert progress.resume_step() is None
    assert progress.result().level is Level.URGENT


def test_progress_ignores_fields_of_other_steps():
    progress = Progress()
    progress.record_step(1, {**STEP1_CLEAR, "age": "40", "csrfmiddlewaretoken": "x"})
    assert set(progress.answers) == set(STEP1_CLEAR)


def test_answers_after_the_last_submitted_step_do_not_count():
    progress = Progress()
    for number, answers in enumerate(CLEAR_STEPS, start=1):
        progress.record_step(number, answers)
    progress.record_step(1, STEP1_CLEAR)
    assert progress.through_step == 1
    assert progress.resume_step() == 2
    assert progress.answers["age"] == "35"  # kept for when the patient gets there again


@pytest.mark.parametrize(
    ("name", "args", "path"),
    [
        ("assessments:start", [], "/assessment/"),
        ("assessments:step", [2], "/assessment/step/2/"),
        ("assessments:result", [], "/assessment/result/"),
        ("assessments:save", [], "/assessment/result/save/"),
        ("assessments:restart", [], "/assessment/restart/"),
    ],
)
def test_urls_round_trip(name, args, path):
    assert reverse(name, args=args) == path
    assert resolve(path).view_name == name
