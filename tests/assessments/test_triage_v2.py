"""Ruleset v2's additions, rule by rule, through the pure engine (no database)."""

from __future__ import annotations

import pytest

from assessments.triage import (
    Level,
    evaluate,
    has_nerve_sign,
    next_step,
    questions_asked,
    stretch_routine_applies,
    stretches_on_hold,
)

from .test_triage import answers, rejected, step_1


@pytest.mark.parametrize("value", ["yes", "not_sure"])
def test_a_sudden_severe_pain_with_feeling_faint_is_an_emergency(value: str) -> None:
    result = evaluate(step_1(e10=value), through_step=1)

    assert result.level is Level.EMERGENCY
    assert result.rule_ids == ("E10",)
    assert next_step(result) is None


@pytest.mark.parametrize(
    ("value", "level", "rule_ids"),
    [
        ("none", Level.SELF_CARE, ()),
        ("one", Level.URGENT, ("E7_ONE",)),
        ("not_sure", Level.URGENT, ("E7_ONE",)),
        ("both", Level.EMERGENCY, ("E7_BOTH",)),
    ],
)
def test_leg_weakness_values(value: str, level: Level, rule_ids: tuple[str, ...]) -> None:
    result = evaluate(answers(e7=value))

    assert result.level is level
    assert result.rule_ids == rule_ids


def test_an_urgent_answer_on_step_one_ends_the_questionnaire() -> None:
    result = evaluate(step_1(e7="one"), through_step=1)

    assert result.level is Level.URGENT
    assert next_step(result) is None


@pytest.mark.parametrize("field", ["u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u11"])
@pytest.mark.parametrize("value", ["yes", "not_sure"])
def test_each_urgent_question_flags_on_yes_or_not_sure(field: str, value: str) -> None:
    result = evaluate(answers(**{field: value}))

    assert result.level is Level.URGENT
    assert result.rule_ids == (field.upper(),)


@pytest.mark.parametrize(
    ("u9", "u10", "age", "fires"),
    [
        ("yes", "yes", "40", True),
        ("not_sure", "yes", "40", True),
        ("yes", "not_sure", "40", True),
        ("yes", "no", "65", True),
        ("yes", "no", "64", False),
        ("no", "yes", "80", False),
        ("not_sure", "no", "70", True),
        ("no", "no", "90", False),
    ],
)
def test_a_minor_fall_counts_with_thin_bones_steroids_or_age_65(
    u9: str, u10: str, age: str, fires: bool
) -> None:
    result = evaluate(answers(u9=u9, u10=u10, age=age))

    assert ("U9" in result.rule_ids) is fires
    assert (result.level is Level.URGENT) is fires


@pytest.mark.parametrize(
    ("value", "level", "rule_ids"),
    [
        ("none", Level.SELF_CARE, ()),
        ("longstanding", Level.BOOK_ASSESSMENT, ("B3",)),
        ("new", Level.URGENT, ("B3_NEW",)),
    ],
)
def test_new_weakness_in_one_leg_is_urgent(
    value: str, level: Level, rule_ids: tuple[str, ...]
) -> None:
    result = evaluate(answers(b3=value))

    assert result.level is level
    assert result.rule_ids == rule_ids


def test_new_weakness_in_one_leg_ends_the_questionnaire_after_step_three() -> None:
    assert next_step(evaluate(answers(b3="new"), through_step=3)) is None


# --- The inflammatory screen -----------------------------------------------------------------


def _screen(**changes: str) -> dict[str, object]:
    return answers(**{"duration": "over_12_weeks", "age": "30", **changes})


@pytest.mark.parametrize(
    ("duration", "age", "asked"),
    [
        ("over_12_weeks", "30", True),
        ("over_12_weeks", "44", True),
        ("over_12_weeks", "45", False),
        ("over_12_weeks", "16", True),
        ("6_to_12_weeks", "30", False),
        ("under_6_weeks", "30", False),
    ],
)
def test_the_inflammatory_questions_are_asked_only_when_they_apply(
    duration: str, age: str, asked: bool
) -> None:
    fields = {q.field for q in questions_asked(3, answers(duration=duration, age=age))}

    assert ({"i1", "i2", "i3", "i4"} <= fields) is asked
    assert not ({"i1", "i2", "i3", "i4"} & fields) or asked


@pytest.mark.parametrize(
    ("yes_count", "fires"), [(0, False), (1, False), (2, True), (3, True), (4, True)]
)
def test_two_or_more_inflammatory_features_need_an_assessment(yes_count: int, fires: bool) -> None:
    features = {f"i{n}": ("yes" if n <= yes_count else "no") for n in range(1, 5)}

    result = evaluate(_screen(**features))

    assert ("INFLAMMATORY" in result.rule_ids) is fires
    assert (result.level is Level.BOOK_ASSESSMENT) is fires


def test_the_inflammatory_answers_are_required_when_asked() -> None:
    error = rejected(_screen())

    assert list(error.errors) == ["i1", "i2", "i3", "i4"]
    assert error.steps == (3,)


@pytest.mark.parametrize(
    "changes", [{"age": "50"}, {"duration": "6_to_12_weeks"}], ids=["aged-45-plus", "short"]
)
def test_posted_inflammatory_answers_are_ignored_when_not_asked(changes: dict[str, str]) -> None:
    posted = _screen(i1="yes", i2="yes", i3="bogus", **changes)

    result = evaluate(posted)

    assert "INFLAMMATORY" not in result.rule_ids
    assert not {"i1", "i2", "i3", "i4"} & set(result.cleaned)


# --- Nerve signs, the tests and the stretches --------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "nerve"),
    [
        ({}, False),
        ({"b1": "above_knee"}, False),
        ({"b1": "below_knee"}, True),
        ({"b2": "yes"}, True),
        ({"b3": "longstanding"}, True),
        ({"b3": "new"}, True),
    ],
)
def test_nerve_signs(changes: dict[str, str], nerve: bool) -> None:
    assert has_nerve_sign(evaluate(answers(**changes)).cleaned) is nerve


@pytest.mark.parametrize("side", ["aket_left", "aket_right"])
def test_a_test_stopped_by_pain_needs_an_assessment(side: str) -> None:
    result = evaluate(answers(**{side: "stopped_pain"}))

    assert result.level is Level.BOOK_ASSESSMENT
    assert result.rule_ids == ("FLEX_PAIN",)
    assert not stretch_routine_applies(result)
    assert stretches_on_hold(result)


@pytest.mark.parametrize(
    "nerve_sign", [{"b1": "below_knee"}, {"b2": "yes"}, {"b3": "longstanding"}]
)
def test_with_a_nerve_sign_the_tests_are_skipped_and_the_stretches_held(
    nerve_sign: dict[str, str],
) -> None:
    posted = answers(**nerve_sign, aket_left="over_20", sit_reach="short")

    result = evaluate(posted)

    assert result.level is Level.BOOK_ASSESSMENT
    assert "aket_left" not in result.cleaned
    assert next_step(evaluate(posted, through_step=3)) is None
    assert not stretch_routine_applies(result)
    assert stretches_on_hold(result)


def test_stretches_are_not_held_without_a_reason() -> None:
    result = evaluate(answers(aket_left="over_20"))

    assert stretch_routine_applies(result)
    assert not stretches_on_hold(result)


@pytest.mark.parametrize("changes", [{"u1": "yes"}, {"e1": "yes"}, {"age": "12"}])
def test_stretches_are_neither_shown_nor_held_above_book_assessment(
    changes: dict[str, str],
) -> None:
    result = evaluate(answers(**changes, b2="yes"))

    assert not stretch_routine_applies(result)
    assert not stretches_on_hold(result)


def test_the_emergency_ignores_everything_else_even_when_invalid() -> None:
    result = evaluate({"e10": "yes", "e1": "bogus"})

    assert result.level is Level.EMERGENCY
    assert result.rule_ids == ("E10",)


# --- Behaviour that mutation testing (mutmut) showed was not pinned down ----------------------


def _rule(rule_id: str):
    from assessments.triage import RULESET

    return next(rule for rule in RULESET if rule.id == rule_id)


@pytest.mark.parametrize(
    ("duration", "age", "fires"),
    [
        ("over_12_weeks", 44, True),
        ("over_12_weeks", 45, False),
        ("over_12_weeks", 46, False),
        ("6_to_12_weeks", 30, False),
        ("under_6_weeks", 50, False),
    ],
)
def test_the_inflammatory_rule_checks_its_own_conditions(
    duration: str, age: int, fires: bool
) -> None:
    # The engine only asks i1-i4 when they apply; the rule must not rely on that alone.
    cleaned = {"duration": duration, "age": age, "i1": "yes", "i2": "yes", "i3": "no", "i4": "no"}

    assert _rule("INFLAMMATORY").condition(cleaned) is fires


def test_levels_compare_in_clinical_order_only() -> None:
    assert Level.URGENT > Level.BOOK_ASSESSMENT
    assert not Level.URGENT > Level.URGENT
    assert Level.URGENT >= Level.URGENT
    assert Level.BOOK_ASSESSMENT <= Level.BOOK_ASSESSMENT
    assert not Level.EMERGENCY <= Level.URGENT
    assert Level.SELF_CARE < Level.NOT_ASSESSED < Level.URGENT
    assert not Level.URGENT < Level.URGENT
    with pytest.raises(TypeError, match="cannot order Level against str"):
        assert Level.URGENT < "EMERGENCY"


def test_the_validation_error_names_the_fields_in_its_message() -> None:
    error = rejected(answers(e2=None, e5=None))

    assert str(error) == "Missing or invalid answers: e2, e5"


def test_an_enormous_number_gets_the_range_message() -> None:
    error = rejected(answers(age="9" * 5000))

    assert str(error.errors["age"]) == "Please enter a whole number from 0 to 120."


def test_a_malformed_number_gets_the_range_message() -> None:
    error = rejected(answers(pain_score="lots"))

    assert str(error.errors["pain_score"]) == "Please enter a whole number from 0 to 10."


def test_each_reason_carries_its_rule_text() -> None:
    result = evaluate(answers(u6="yes", b5="yes"))

    assert [reason.text for reason in result.reasons] == [
        _rule("U6").reason,
        _rule("B5").reason,
    ]


def test_pain_during_a_test_holds_the_stretches() -> None:
    result = evaluate(answers(aket_left="over_20", test_pain="yes"))

    assert stretches_on_hold(result)
    assert not stretch_routine_applies(result)


def test_the_stretch_check_does_not_rely_on_the_tests_being_skipped() -> None:
    # Defence in depth: even if step-4 answers reached an urgent result, no stretches.
    from assessments.triage import TriageResult

    tight = {"aket_left": "over_20", "aket_right": "over_20", "sit_reach": "short"}
    urgent = TriageResult(
        level=Level.URGENT,
        reasons=(),
        ruleset_version="v2",
        cleaned={**tight, "test_pain": "no", "b1": "none", "b2": "no", "b3": "none"},
        through_step=4,
    )

    assert not stretch_routine_applies(urgent)
