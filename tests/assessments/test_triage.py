"""Unit tests for the pure triage engine and the questionnaire data it validates against.

No database and no request: ``evaluate`` is a function over plain values. Where a test has
to render a lazily translated string it uses the ``render`` fixture, which falls back to
Django's default settings when the project's settings are not in play.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator, Mapping
from types import MappingProxyType

import pytest
from django.utils.functional import Promise
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments import questions
from assessments.questions import (
    FLEXIBILITY_OUTCOME_TEXT,
    LEVEL_ADVICE,
    QUESTIONS,
    QUESTIONS_BY_FIELD,
    STRETCH_ROUTINE,
    questions_for_step,
)
from assessments.triage import (
    RULESET,
    RULESET_VERSION,
    FlexibilityOutcome,
    Level,
    TriageResult,
    TriageValidationError,
    evaluate,
    flexibility_summary,
    flexibility_tests_apply,
    has_nerve_sign,
    next_step,
    stretch_routine_applies,
)

E_FIELDS = ("e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9", "e10")
E_YES_NO_FIELDS = tuple(field for field in E_FIELDS if field != "e7")
U_FIELDS = ("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9", "u10", "u11")
#: U-questions that fire their own rule alone (u9 and u10 fire U9 together).
U_SIMPLE_FIELDS = tuple(field for field in U_FIELDS if field not in {"u9", "u10"})
B_YES_NO_FIELDS = ("b2", "b5")
STEP_4_REQUIRED = ("aket_left", "aket_right", "sit_reach", "test_pain")

# An adult with a recurring episode and no flag at all, answering every step.
NO_FLAGS: Mapping[str, str] = MappingProxyType(
    {
        **dict.fromkeys(E_YES_NO_FIELDS, "no"),
        "e7": "none",
        **dict.fromkeys(U_FIELDS, "no"),
        "age": "35",
        "first_episode": "no",
        "duration": "under_6_weeks",
        "b1": "none",
        **dict.fromkeys(B_YES_NO_FIELDS, "no"),
        "b3": "none",
        "b4": "not_tried",
        "pain_score": "3",
        "aket_left": "within_20",
        "aket_right": "within_20",
        "sit_reach": "touched_toes",
        "sit_reach_cm": "",
        "test_pain": "no",
    }
)


def answers(**changes: object) -> dict[str, object]:
    """The no-flag answers with ``changes`` applied; a change to ``None`` removes the field."""
    result: dict[str, object] = dict(NO_FLAGS)
    for field, value in changes.items():
        if value is None:
            result.pop(field, None)
        else:
            result[field] = value
    return result


def step_1(**changes: object) -> dict[str, object]:
    """Only the step-1 answers, as posted by the first page."""
    return {field: value for field, value in answers(**changes).items() if field in E_FIELDS}


def rejected(answer_set: Mapping[str, object], **kwargs: object) -> TriageValidationError:
    with pytest.raises(TriageValidationError) as caught:
        evaluate(answer_set, **kwargs)
    return caught.value


@pytest.fixture(scope="module")
def render() -> Iterator[type[str]]:
    """``str``, made safe for lazy translations when no Django settings are configured."""
    from django.conf import settings as django_settings

    if "DJANGO_SETTINGS_MODULE" not in os.environ and not django_settings.configured:
        # Translation needs settings; without i18n it needs no app registry either.
        django_settings.configure(USE_I18N=False)
    yield str


# --- Every rule ------------------------------------------------------------------------------

# rule id -> (answers that trigger it alone, the level it sets)
RULE_CASES: dict[str, tuple[dict[str, object], Level]] = {
    **{field.upper(): ({field: "yes"}, Level.EMERGENCY) for field in E_YES_NO_FIELDS},
    "E7_BOTH": ({"e7": "both"}, Level.EMERGENCY),
    "E7_ONE": ({"e7": "one"}, Level.URGENT),
    **{field.upper(): ({field: "yes"}, Level.URGENT) for field in U_SIMPLE_FIELDS},
    "U9": ({"u9": "yes", "u10": "yes"}, Level.URGENT),
    "UNDER_16": ({"age": "15"}, Level.NOT_ASSESSED),
    "AGE_FIRST_EPISODE": ({"age": "60", "first_episode": "yes"}, Level.BOOK_ASSESSMENT),
    "B1": ({"b1": "below_knee"}, Level.BOOK_ASSESSMENT),
    **{field.upper(): ({field: "yes"}, Level.BOOK_ASSESSMENT) for field in B_YES_NO_FIELDS},
    "B3": ({"b3": "longstanding"}, Level.BOOK_ASSESSMENT),
    "B3_NEW": ({"b3": "new"}, Level.URGENT),
    "B4": ({"b4": "worse"}, Level.BOOK_ASSESSMENT),
    "INFLAMMATORY": (
        {"duration": "over_12_weeks", "i1": "yes", "i2": "yes", "i3": "no", "i4": "no"},
        Level.BOOK_ASSESSMENT,
    ),
    "FLEX_PAIN": ({"aket_left": "stopped_pain"}, Level.BOOK_ASSESSMENT),
    "PAIN_SCORE": ({"pain_score": "8"}, Level.BOOK_ASSESSMENT),
    "TEST_PAIN": ({"test_pain": "yes"}, Level.BOOK_ASSESSMENT),
}


def test_rule_cases_cover_the_whole_ruleset() -> None:
    assert set(RULE_CASES) == {rule.id for rule in RULESET}


def test_rule_ids_are_unique() -> None:
    ids = [rule.id for rule in RULESET]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(("rule_id", "case"), RULE_CASES.items(), ids=list(RULE_CASES))
def test_each_rule_fires_its_level_on_its_own(
    rule_id: str, case: tuple[dict[str, object], Level]
) -> None:
    changes, level = case

    result = evaluate(answers(**changes))

    assert result.level is level
    assert result.rule_ids == (rule_id,)
    assert result.reasons[0].level is level


def test_no_flags_is_self_care_with_no_reasons() -> None:
    result = evaluate(answers())

    assert result.level is Level.SELF_CARE
    assert result.reasons == ()
    assert result.ruleset_version == RULESET_VERSION == "v2"


@pytest.mark.parametrize("field", E_YES_NO_FIELDS)
def test_not_sure_on_a_warning_sign_counts_as_yes(field: str) -> None:
    result = evaluate(answers(**{field: "not_sure"}))

    assert result.level is Level.EMERGENCY
    assert result.rule_ids == (field.upper(),)
    # The patient's own answer is kept as given, for the record.
    assert result.cleaned[field] == "not_sure"


@pytest.mark.parametrize(("value", "level"), [("none", Level.SELF_CARE), ("one", Level.URGENT)])
def test_leg_weakness_in_one_leg_is_urgent_not_emergency(value: str, level: Level) -> None:
    assert evaluate(answers(e7=value)).level is level


@pytest.mark.parametrize(("value", "fires"), [("below_knee", True), ("above_knee", False)])
def test_pain_spreading_below_the_knee_needs_assessment(value: str, fires: bool) -> None:
    assert (evaluate(answers(b1=value)).level is Level.BOOK_ASSESSMENT) is fires


@pytest.mark.parametrize(
    ("value", "level"),
    [
        ("not_tried", Level.SELF_CARE),
        ("better", Level.SELF_CARE),
        ("same", Level.BOOK_ASSESSMENT),
        ("worse", Level.BOOK_ASSESSMENT),
    ],
)
def test_no_better_after_a_week_of_stretching_needs_assessment(value: str, level: Level) -> None:
    assert evaluate(answers(b4=value)).level is level


# --- Missing answers are never "no" ----------------------------------------------------------


@pytest.mark.parametrize("blank", [None, "", "   "], ids=["absent", "empty", "spaces"])
@pytest.mark.parametrize("field", E_FIELDS)
def test_a_missing_warning_sign_answer_is_an_error_never_a_no(
    field: str, blank: str | None
) -> None:
    posted = answers(**{field: None})
    if blank is not None:
        posted[field] = blank

    error = rejected(posted)

    assert error.codes == {field: "required"}
    assert set(error.errors) == {field}
    assert error.steps == (1,)


@pytest.mark.parametrize("field", E_FIELDS)
def test_step_one_alone_refuses_a_missing_warning_sign_answer(field: str) -> None:
    error = rejected(step_1(**{field: None}), through_step=1)

    assert error.codes == {field: "required"}


@pytest.mark.parametrize("through_step", [1, None])
@pytest.mark.parametrize("bad", [None, "", "maybe"], ids=["absent", "empty", "invalid"])
@pytest.mark.parametrize("field", E_FIELDS)
def test_an_emergency_answer_does_not_wait_for_the_rest_of_the_page(
    field: str, bad: str | None, through_step: int | None
) -> None:
    emergency = "e2" if field == "e1" else "e1"
    posted = step_1(**{emergency: "yes", field: None})
    if bad is not None:
        posted[field] = bad

    result = evaluate(posted, through_step=through_step)

    assert result.level is Level.EMERGENCY
    assert result.rule_ids == (emergency.upper(),)
    # The unanswered question is not recorded, and certainly not as "no".
    assert field not in result.cleaned
    assert next_step(result) is None


def test_an_emergency_with_later_answers_missing_keeps_the_valid_reasons() -> None:
    result = evaluate(answers(e6="not_sure", u2="yes", age="abc", b1=None))

    assert result.level is Level.EMERGENCY
    assert result.rule_ids == ("E6", "U2")
    assert "age" not in result.cleaned
    assert "b1" not in result.cleaned


@pytest.mark.parametrize("value", ["one", "none"])
def test_a_bad_answer_still_stops_a_result_below_emergency(value: str) -> None:
    error = rejected(step_1(e7=value, e8=None), through_step=1)

    assert error.codes == {"e8": "required"}


def test_a_missing_e_answer_is_reported_alongside_later_errors() -> None:
    error = rejected(answers(e4=None, age="abc", pain_score="11"))

    assert list(error.errors) == ["e4", "age", "pain_score"]
    assert error.codes == {"e4": "required", "age": "invalid_number", "pain_score": "out_of_range"}


def test_nothing_answered_names_every_required_field_of_steps_1_to_3() -> None:
    error = rejected({})

    # The inflammatory screen depends on age and duration, so it is not asked here.
    expected = [
        q.field for step in (1, 2, 3) for q in questions_for_step(step) if q.asked_when is None
    ]
    assert list(error.errors) == expected
    assert set(error.codes.values()) == {"required"}
    assert error.steps == (1, 2, 3)


# --- Precedence ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "level"),
    [
        pytest.param({"e1": "yes", "u1": "yes"}, Level.EMERGENCY, id="emergency-over-urgent"),
        pytest.param({"e6": "yes", "b2": "yes"}, Level.EMERGENCY, id="emergency-over-book"),
        pytest.param({"e7": "both", "u2": "yes"}, Level.EMERGENCY, id="e7-both-over-urgent"),
        pytest.param({"e7": "one", "b3": "longstanding"}, Level.URGENT, id="e7-one-over-book"),
        pytest.param({"u5": "yes", "b1": "below_knee"}, Level.URGENT, id="urgent-over-book"),
        pytest.param(
            {"u3": "yes", "age": "60", "first_episode": "yes"},
            Level.URGENT,
            id="urgent-flag-beats-age-and-first-episode",
        ),
        pytest.param({"pain_score": "9"}, Level.BOOK_ASSESSMENT, id="book-over-self-care"),
        pytest.param({"e2": "yes", "age": "10"}, Level.EMERGENCY, id="emergency-at-10"),
        pytest.param({"e9": "not_sure", "age": "0"}, Level.EMERGENCY, id="emergency-at-0"),
        pytest.param({"u1": "yes", "age": "12"}, Level.URGENT, id="urgent-at-12"),
        pytest.param({"e7": "one", "age": "12"}, Level.URGENT, id="leg-weakness-at-12"),
        pytest.param({"b2": "yes", "age": "12"}, Level.NOT_ASSESSED, id="book-flag-at-12"),
        pytest.param({"pain_score": "10", "age": "15"}, Level.NOT_ASSESSED, id="pain-at-15"),
        pytest.param({"age": "12"}, Level.NOT_ASSESSED, id="no-flag-at-12"),
    ],
)
def test_the_highest_level_wins(changes: dict[str, object], level: Level) -> None:
    assert evaluate(answers(**changes)).level is level


def test_reasons_list_every_triggered_rule_once_most_serious_first() -> None:
    result = evaluate(
        answers(
            e1="yes",
            e3="not_sure",
            e7="one",
            u2="yes",
            age="14",
            first_episode="yes",
            b1="below_knee",
            pain_score="8",
        )
    )

    assert result.level is Level.EMERGENCY
    assert result.rule_ids == (
        "E1",
        "E3",
        "E7_ONE",
        "U2",
        "UNDER_16",
        "AGE_FIRST_EPISODE",
        "B1",
        "PAIN_SCORE",
    )
    ranks = [reason.level.rank for reason in result.reasons]
    assert ranks == sorted(ranks, reverse=True)


def test_every_rule_at_once_lists_each_reason_exactly_once() -> None:
    everything = answers(
        **dict.fromkeys(E_YES_NO_FIELDS, "yes"),
        e7="both",
        **dict.fromkeys(U_FIELDS, "yes"),
        age="12",
        first_episode="yes",
        duration="over_12_weeks",
        b1="below_knee",
        **dict.fromkeys(B_YES_NO_FIELDS, "yes"),
        b3="longstanding",
        b4="same",
        pain_score="10",
        i1="yes",
        i2="yes",
        i3="yes",
        i4="yes",
    )

    result = evaluate(everything)

    assert result.level is Level.EMERGENCY
    # E7_ONE cannot fire with "both", nor B3_NEW with "longstanding"; the tests (FLEX_PAIN,
    # TEST_PAIN) are not asked at EMERGENCY.
    expected = {rule.id for rule in RULESET} - {"E7_ONE", "B3_NEW", "FLEX_PAIN", "TEST_PAIN"}
    assert sorted(result.rule_ids) == sorted(expected)


# --- Age, first episode, pain score, test pain -----------------------------------------------


@pytest.mark.parametrize(
    ("age", "fires"),
    [(16, True), (19, True), (20, False), (35, False), (50, False), (51, True), (120, True)],
)
def test_a_first_episode_under_20_or_over_50_needs_assessment(age: int, fires: bool) -> None:
    first = evaluate(answers(age=str(age), first_episode="yes"))
    recurring = evaluate(answers(age=str(age), first_episode="no"))

    assert (first.level is Level.BOOK_ASSESSMENT) is fires
    assert ("AGE_FIRST_EPISODE" in first.rule_ids) is fires
    # Age alone over-triages: without a first episode it changes nothing.
    assert recurring.level is Level.SELF_CARE


@pytest.mark.parametrize(
    ("age", "level"), [(0, "NOT_ASSESSED"), (15, "NOT_ASSESSED"), (16, "SELF_CARE")]
)
def test_under_16_is_not_assessed(age: int, level: str) -> None:
    assert evaluate(answers(age=str(age))).level == level


@pytest.mark.parametrize(
    ("score", "level"),
    [(0, "SELF_CARE"), (7, "SELF_CARE"), (8, "BOOK_ASSESSMENT"), (10, "BOOK_ASSESSMENT")],
)
def test_pain_of_8_or_more_needs_assessment(score: int, level: str) -> None:
    result = evaluate(answers(pain_score=str(score)))

    assert result.level == level
    assert result.cleaned["pain_score"] == score


def test_pain_during_a_test_raises_self_care_to_book_assessment() -> None:
    before = evaluate(answers(), through_step=3)
    after = evaluate(answers(test_pain="yes"))

    assert before.level is Level.SELF_CARE
    assert after.level is Level.BOOK_ASSESSMENT
    assert after.rule_ids == ("TEST_PAIN",)


def test_pain_during_a_test_adds_a_reason_at_book_assessment() -> None:
    result = evaluate(answers(b5="yes", test_pain="yes"))

    assert result.level is Level.BOOK_ASSESSMENT
    assert result.rule_ids == ("B5", "TEST_PAIN")


# --- Partial evaluation and the flow ---------------------------------------------------------


def test_step_one_can_end_in_an_emergency_with_nothing_else_answered() -> None:
    result = evaluate(step_1(e5="yes"), through_step=1)

    assert result.level is Level.EMERGENCY
    assert result.rule_ids == ("E5",)
    assert set(result.cleaned) == set(E_FIELDS)
    assert next_step(result) is None
    assert result.complete


def test_step_one_without_flags_moves_on_to_step_two() -> None:
    result = evaluate(step_1(), through_step=1)

    assert result.level is Level.SELF_CARE
    assert next_step(result) == 2
    assert not result.complete


def test_step_one_ignores_later_answers_even_invalid_ones() -> None:
    result = evaluate(answers(age="abc", u1="maybe"), through_step=1)

    assert set(result.cleaned) == set(E_FIELDS)


def test_step_two_does_not_need_step_three() -> None:
    posted = {k: v for k, v in answers(u4="yes").items() if QUESTIONS_BY_FIELD[k].step <= 2}

    result = evaluate(posted, through_step=2)

    assert result.level is Level.URGENT
    # An urgent answer ends the questionnaire: the patient needs a GP today, not more questions.
    assert next_step(result) is None


def test_the_full_evaluation_needs_steps_1_to_3() -> None:
    error = rejected(step_1(e7="one"))

    assert not set(error.errors) & set(E_FIELDS)
    assert {"u1", "age", "first_episode", "b1", "pain_score"} <= set(error.errors)


@pytest.mark.parametrize(
    ("changes", "following"),
    [
        pytest.param({}, 4, id="self-care"),
        pytest.param({"b5": "yes"}, 4, id="book"),
        pytest.param({"b1": "below_knee"}, None, id="nerve-sign-below-knee"),
        pytest.param({"b2": "yes"}, None, id="nerve-sign-numb-leg"),
        pytest.param({"b3": "longstanding"}, None, id="nerve-sign-weak-leg"),
        pytest.param({"u6": "yes"}, None, id="urgent"),
        pytest.param({"age": "13"}, None, id="not-assessed"),
        pytest.param({"e8": "yes"}, None, id="emergency"),
    ],
)
def test_the_flexibility_tests_follow_step_three_only_at_self_care_or_book(
    changes: dict[str, object], following: int | None
) -> None:
    assert next_step(evaluate(answers(**changes), through_step=3)) == following


def test_a_full_evaluation_is_complete() -> None:
    result = evaluate(answers())

    assert result.through_step == 4
    assert next_step(result) is None
    assert result.complete


@pytest.mark.parametrize(
    ("level", "asked"),
    [
        (Level.SELF_CARE, True),
        (Level.BOOK_ASSESSMENT, True),
        (Level.NOT_ASSESSED, False),
        (Level.URGENT, False),
        (Level.EMERGENCY, False),
        ("SELF_CARE", True),
        ("URGENT", False),
    ],
)
def test_flexibility_tests_apply(level: Level | str, asked: bool) -> None:
    assert flexibility_tests_apply(level, {}) is asked


@pytest.mark.parametrize(
    "nerve_sign", [{"b1": "below_knee"}, {"b2": "yes"}, {"b3": "longstanding"}, {"b3": "new"}]
)
@pytest.mark.parametrize("level", [Level.SELF_CARE, Level.BOOK_ASSESSMENT])
def test_flexibility_tests_are_never_asked_with_a_nerve_sign(
    level: Level, nerve_sign: dict[str, str]
) -> None:
    assert flexibility_tests_apply(level, nerve_sign) is False
    assert flexibility_tests_apply(level, {"b1": "above_knee", "b2": "no", "b3": "none"})


@pytest.mark.parametrize("changes", [{}, {"b5": "yes"}], ids=["self-care", "book"])
def test_flexibility_answers_are_required_when_the_tests_apply(changes: dict[str, object]) -> None:
    posted = answers(**changes, **dict.fromkeys((*STEP_4_REQUIRED, "sit_reach_cm")))

    error = rejected(posted)

    assert list(error.errors) == list(STEP_4_REQUIRED)
    assert error.steps == (4,)


@pytest.mark.parametrize(
    "changes",
    [{"u8": "yes"}, {"age": "14"}, {"e4": "yes"}, {"b2": "yes"}],
    ids=["urgent", "young", "emergency", "nerve-sign"],
)
def test_flexibility_answers_are_ignored_when_the_tests_do_not_apply(
    changes: dict[str, object],
) -> None:
    # A stale or tampered step-4 field must never block urgent advice.
    posted = answers(**changes, aket_left="bogus", sit_reach_cm="999", test_pain="yes")

    result = evaluate(posted)

    assert not set(result.cleaned) & {*STEP_4_REQUIRED, "sit_reach_cm"}
    assert "TEST_PAIN" not in result.rule_ids
    assert flexibility_summary(result.cleaned) == {}


def test_invalid_through_step_is_a_programming_error() -> None:
    for step in (0, 5):
        with pytest.raises(ValueError, match="through_step") as caught:
            evaluate(answers(), through_step=step)
        assert not isinstance(caught.value, TriageValidationError)


def test_later_steps_never_lower_the_level() -> None:
    posted = answers(e7="one", age="14", b1="below_knee", pain_score="9")

    levels = [evaluate(posted, through_step=step).level for step in (1, 2, 3, 4)]

    assert levels == [Level.URGENT] * 4


# --- Input handling --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("age", "-1", "out_of_range"),
        ("age", "121", "out_of_range"),
        ("age", "200", "out_of_range"),
        ("age", "abc", "invalid_number"),
        ("age", "12.5", "invalid_number"),
        ("age", "1e2", "invalid_number"),
        ("age", "²", "invalid_number"),
        ("age", "", "required"),
        ("age", None, "required"),
        ("age", True, "invalid_number"),
        ("age", 12.0, "invalid_number"),
        ("age", "9" * 5000, "out_of_range"),
        ("pain_score", "11", "out_of_range"),
        ("pain_score", "-1", "out_of_range"),
        ("pain_score", "7.5", "invalid_number"),
        ("e1", "YES", "invalid_choice"),
        ("e1", "maybe", "invalid_choice"),
        ("e1", True, "invalid_choice"),
        ("e7", "yes", "invalid_choice"),
        ("e7", "maybe", "invalid_choice"),
        ("u1", "unsure", "invalid_choice"),
        ("b3", "yes", "invalid_choice"),
        ("duration", "3_weeks", "invalid_choice"),
        ("first_episode", "y", "invalid_choice"),
        ("b1", "knee", "invalid_choice"),
        ("b4", "no", "invalid_choice"),
        ("aket_left", "straight", "invalid_choice"),
        ("sit_reach", "yes", "invalid_choice"),
        ("sit_reach_cm", "51", "out_of_range"),
        ("sit_reach_cm", "-51", "out_of_range"),
        ("sit_reach_cm", "3.5", "invalid_number"),
        ("test_pain", "not_sure", "invalid_choice"),
    ],
)
def test_bad_input_is_rejected_naming_the_field(field: str, value: object, code: str) -> None:
    posted = answers()
    if value is None:
        del posted[field]
    else:
        posted[field] = value

    error = rejected(posted)

    assert error.codes == {field: code}
    assert list(error.errors) == [field]
    assert field in str(error)


@pytest.mark.parametrize(
    ("field", "value", "cleaned"),
    [
        ("age", "45", 45),
        ("age", 45, 45),
        ("age", " 45 ", 45),
        ("age", "045", 45),
        ("age", "0", 0),
        ("age", "120", 120),
        ("pain_score", "0", 0),
        ("pain_score", 10, 10),
        ("sit_reach_cm", "-50", -50),
        ("sit_reach_cm", "+5", 5),
        ("sit_reach_cm", "50", 50),
        ("sit_reach_cm", "", None),
        ("sit_reach_cm", None, None),
        ("e1", " no ", "no"),
    ],
)
def test_numbers_as_strings_and_optional_blanks_are_cleaned(
    field: str, value: object, cleaned: object
) -> None:
    posted = answers()
    if value is None:
        del posted[field]
    else:
        posted[field] = value

    assert evaluate(posted).cleaned[field] == cleaned


def test_unknown_keys_are_ignored() -> None:
    result = evaluate(answers(csrfmiddlewaretoken="x", e11="yes", consent="on"))

    assert result.level is Level.SELF_CARE
    # The inflammatory screen is not asked at 35 with pain under 6 weeks.
    assert set(result.cleaned) == {
        question.field for question in QUESTIONS if question.asked_when is None
    }


def test_the_answers_are_not_changed_and_any_mapping_is_accepted() -> None:
    posted = MappingProxyType(answers(e1="not_sure"))

    evaluate(posted)

    assert posted == answers(e1="not_sure")


def test_the_result_is_immutable_and_stores_plain_values() -> None:
    result = evaluate(answers(b2="yes"))

    with pytest.raises(dataclasses.FrozenInstanceError):
        result.level = Level.SELF_CARE  # type: ignore[misc]
    assert isinstance(result, TriageResult)
    assert isinstance(result.ruleset_version, str)
    assert result.cleaned["age"] == 35
    assert all(isinstance(value, (str, int, type(None))) for value in result.cleaned.values())


# --- Levels ----------------------------------------------------------------------------------


def test_levels_are_strings_ordered_by_clinical_priority() -> None:
    assert sorted(Level) == [
        Level.SELF_CARE,
        Level.BOOK_ASSESSMENT,
        Level.NOT_ASSESSED,
        Level.URGENT,
        Level.EMERGENCY,
    ]
    # Alphabetically EMERGENCY would be the lowest; it must be the highest.
    assert max(Level.URGENT, Level.EMERGENCY) is Level.EMERGENCY
    assert Level.EMERGENCY > Level.URGENT > Level.BOOK_ASSESSMENT > Level.SELF_CARE
    assert Level.URGENT == "URGENT"
    assert str(Level.URGENT) == "URGENT"
    assert [level.rank for level in sorted(Level)] == [0, 1, 2, 3, 4]


def test_a_level_cannot_be_ordered_against_a_plain_string() -> None:
    with pytest.raises(TypeError):
        _ = Level.URGENT < "EMERGENCY"
    with pytest.raises(TypeError):
        _ = Level.URGENT < "EMERGENCY"


# --- Flexibility results and the stretch routine ---------------------------------------------


def test_flexibility_summary_maps_each_test_to_its_outcome() -> None:
    result = evaluate(answers(aket_left="within_20", aket_right="over_20", sit_reach="past_toes"))

    assert flexibility_summary(result.cleaned) == {
        "aket_left": FlexibilityOutcome.HEALTHY,
        "aket_right": FlexibilityOutcome.TIGHT,
        "sit_reach": FlexibilityOutcome.GOOD,
    }


@pytest.mark.parametrize(
    ("field", "value", "outcome"),
    [
        ("aket_left", "within_20", "healthy"),
        ("aket_left", "over_20", "tight"),
        ("aket_right", "stopped_pain", "stopped_by_pain"),
        ("sit_reach", "past_toes", "good"),
        ("sit_reach", "touched_toes", "average"),
        ("sit_reach", "short", "reduced"),
    ],
)
def test_each_test_answer_has_an_outcome(field: str, value: str, outcome: str) -> None:
    assert flexibility_summary(evaluate(answers(**{field: value})).cleaned)[field] == outcome


@pytest.mark.parametrize(
    ("changes", "applies"),
    [
        pytest.param({}, False, id="all-healthy"),
        pytest.param({"aket_left": "over_20"}, True, id="tight-left"),
        pytest.param({"aket_right": "over_20"}, True, id="tight-right"),
        pytest.param({"sit_reach": "short"}, True, id="reduced-reach"),
        pytest.param({"sit_reach": "past_toes"}, False, id="good-reach"),
        pytest.param({"aket_left": "stopped_pain"}, False, id="stopped-by-pain-only"),
        pytest.param({"sit_reach": "short", "b5": "yes"}, True, id="reduced-at-book"),
        pytest.param({"sit_reach": "short", "b2": "yes"}, False, id="reduced-but-nerve-sign"),
        pytest.param({"sit_reach": "short", "test_pain": "yes"}, False, id="reduced-but-test-pain"),
        pytest.param(
            {"aket_left": "over_20", "aket_right": "stopped_pain"},
            False,
            id="tight-but-stopped-by-pain",
        ),
        pytest.param({"aket_left": "over_20", "u7": "yes"}, False, id="tight-but-urgent"),
        pytest.param({"aket_left": "over_20", "e1": "yes"}, False, id="tight-but-emergency"),
        pytest.param({"aket_left": "over_20", "age": "15"}, False, id="tight-but-under-16"),
    ],
)
def test_the_stretch_routine_is_for_tight_or_reduced_results_at_self_care_or_book(
    changes: dict[str, object], applies: bool
) -> None:
    assert stretch_routine_applies(evaluate(answers(**changes))) is applies


def test_the_stretch_routine_is_never_shown_on_a_partial_urgent_result() -> None:
    assert not stretch_routine_applies(evaluate(answers(e7="one"), through_step=1))


# --- The questionnaire data ------------------------------------------------------------------


def test_steps_hold_exactly_the_specified_fields() -> None:
    fields_by_step = {
        step: [question.field for question in questions_for_step(step)] for step in (1, 2, 3, 4)
    }

    assert fields_by_step == {
        1: list(E_FIELDS),
        2: [*U_FIELDS, "age", "first_episode", "duration"],
        3: ["b1", "b2", "b3", "b4", "b5", "pain_score", "i1", "i2", "i3", "i4"],
        4: ["aket_left", "aket_right", "sit_reach", "sit_reach_cm", "test_pain"],
    }


def test_answer_values_follow_the_spec() -> None:
    values = {question.field: question.values for question in QUESTIONS}

    for field in (*E_YES_NO_FIELDS, *U_FIELDS):
        assert values[field] == ("yes", "no", "not_sure")
    for field in ("first_episode", *B_YES_NO_FIELDS, "i1", "i2", "i3", "i4", "test_pain"):
        assert values[field] == ("yes", "no")
    assert values["e7"] == ("none", "one", "both", "not_sure")
    assert values["b3"] == ("none", "longstanding", "new")
    assert values["duration"] == ("under_6_weeks", "6_to_12_weeks", "over_12_weeks")
    assert values["b1"] == ("none", "above_knee", "below_knee")
    assert values["b4"] == ("not_tried", "better", "same", "worse")
    assert values["aket_left"] == values["aket_right"] == ("within_20", "over_20", "stopped_pain")
    assert values["sit_reach"] == ("past_toes", "touched_toes", "short")


def test_number_questions_have_the_specified_ranges() -> None:
    ranges = {
        question.field: (question.min_value, question.max_value, question.required)
        for question in QUESTIONS
        if question.is_number
    }

    assert ranges == {
        "age": (0, 120, True),
        "pain_score": (0, 10, True),
        "sit_reach_cm": (-50, 50, False),
    }


def test_only_the_measured_reach_is_optional() -> None:
    assert [question.field for question in QUESTIONS if not question.required] == ["sit_reach_cm"]


def test_every_rule_reads_only_questions_that_exist() -> None:
    for rule in RULESET:
        assert set(rule.condition.fields) <= set(QUESTIONS_BY_FIELD), rule.id


def test_images_name_the_drawn_files() -> None:
    routine = {exercise.image for exercise in STRETCH_ROUTINE}
    tests = {question.image for question in QUESTIONS if question.image}

    assert routine == {
        f"img/exercises/{name}.svg"
        for name in (
            "standing-hamstring-stretch",
            "seated-towel-stretch",
            "lying-strap-stretch",
            "bridge",
            "plank",
            "bird-dog",
        )
    }
    assert tests == {"img/exercises/test-90-90.svg", "img/exercises/test-sit-reach.svg"}


def test_every_flexibility_test_has_instructions() -> None:
    for field in ("aket_left", "aket_right", "sit_reach"):
        assert QUESTIONS_BY_FIELD[field].instructions, field


def test_every_level_and_outcome_has_text() -> None:
    assert set(LEVEL_ADVICE) == set(Level)
    assert set(FLEXIBILITY_OUTCOME_TEXT) == set(FlexibilityOutcome)


def test_booking_is_never_offered_where_it_must_not_be() -> None:
    offered = {level for level, advice in LEVEL_ADVICE.items() if advice.offers_booking}
    safety_net = {level for level, advice in LEVEL_ADVICE.items() if advice.shows_safety_net}

    assert offered == {Level.SELF_CARE, Level.BOOK_ASSESSMENT}
    assert safety_net == set(Level) - {Level.EMERGENCY}


def _patient_facing_text() -> Iterator[object]:
    """Every lazily translated string in the questionnaire data and the ruleset."""

    def walk(value: object) -> Iterator[object]:
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            for field in dataclasses.fields(value):
                yield from walk(getattr(value, field.name))
        elif isinstance(value, Mapping):
            for item in value.values():
                yield from walk(item)
        elif isinstance(value, tuple):
            for item in value:
                yield from walk(item)
        elif isinstance(value, Promise):
            yield value

    for name in dir(questions):
        if name.isupper():
            yield from walk(getattr(questions, name))
    for rule in RULESET:
        yield rule.reason


def test_patient_facing_text_never_diagnoses_or_reassures(render: type[str]) -> None:
    texts = [render(text).lower() for text in _patient_facing_text()]

    assert len(texts) > 100
    banned = (
        "sciatica",
        "you have cauda equina",
        "it is cauda equina",
        "it's cauda equina",
        "isn't cauda equina",
        "not cauda equina",
        "a slipped disc",
        "nothing serious",
        "don't worry",
        "do not worry",
        "not serious",
        "nothing to worry",
        "you are fine",
    )
    for phrase in banned:
        assert not [text for text in texts if phrase in text], phrase
    # Cauda equina syndrome is named once: as what to tell the ambulance crew or A&E.
    naming = [text for text in texts if "cauda equina" in text]
    assert naming == ["tell them: \u201ci am worried about cauda equina syndrome.\u201d"]


def test_every_reason_says_what_the_patient_told_us(render: type[str]) -> None:
    for rule in RULESET:
        assert render(rule.reason).startswith("Because "), rule.id


def test_validation_messages_are_patient_facing(render: type[str]) -> None:
    error = rejected(answers(e1=None, age="200", b1="x"))

    assert render(error.errors["e1"]) == "Please answer this question."
    assert render(error.errors["age"]) == "Please enter a whole number from 0 to 120."
    assert render(error.errors["b1"]) == "Please choose one of the answers given."


def test_warning_sign_questions_ask_about_something_new_or_not_normal(render: type[str]) -> None:
    for field in E_FIELDS:
        question = QUESTIONS_BY_FIELD[field]
        text = render(question.text).lower()
        # e7 (getting worse) and e9 (started after an accident) are new by definition.
        words = (
            "new",
            "since",
            "began",
            "changed",
            "different",
            "lost",
            "start",
            "worse",
            "sudden",
        )
        assert any(word in text for word in words), field


# --- Properties ------------------------------------------------------------------------------


def _answer_strategy(field: str) -> st.SearchStrategy[object]:
    question = QUESTIONS_BY_FIELD[field]
    if not question.is_number:
        return st.sampled_from(question.values)
    numbers = st.integers(question.min_value, question.max_value)
    posted = st.one_of(numbers, numbers.map(str))
    return posted if question.required else st.one_of(posted, st.just(""), st.none())


valid_answers = st.fixed_dictionaries(
    {question.field: _answer_strategy(question.field) for question in QUESTIONS}
)
emergency_answers = st.sampled_from(
    [(field, value) for field in E_YES_NO_FIELDS for value in ("yes", "not_sure")]
    + [("e7", "both")]
)
# Answers ordered from least to most worrying, for questions beyond yes/no.
ESCALATIONS = {
    "e7": ("none", "one", "both"),
    "b1": ("none", "above_knee", "below_knee"),
    "b3": ("none", "longstanding", "new"),
    "duration": ("under_6_weeks", "6_to_12_weeks", "over_12_weeks"),
}
FLAGGABLE_FIELDS = tuple(sorted(field for field in (*E_FIELDS, *U_FIELDS) if field != "e7"))


@settings(deadline=None)
@given(valid_answers, emergency_answers)
def test_any_emergency_answer_gives_emergency(
    posted: dict[str, object], emergency: tuple[str, str]
) -> None:
    field, value = emergency
    posted[field] = value

    assert evaluate(posted).level is Level.EMERGENCY
    assert evaluate(posted, through_step=1).level is Level.EMERGENCY


@settings(deadline=None)
@given(valid_answers, st.data())
def test_saying_yes_never_lowers_the_level(posted: dict[str, object], data: st.DataObject) -> None:
    answered_no = sorted(field for field, value in posted.items() if value == "no")
    if not answered_no:
        return
    field = data.draw(st.sampled_from(answered_no))
    before = evaluate(posted)

    after = evaluate({**posted, field: "yes"})

    assert after.level >= before.level
    # The home tests may stop being asked (a nerve sign, an urgent answer), taking their
    # rules with them; the level still never drops.
    assert set(before.rule_ids) - {"TEST_PAIN", "FLEX_PAIN"} <= set(after.rule_ids)


@settings(deadline=None)
@given(valid_answers, st.sampled_from(FLAGGABLE_FIELDS))
def test_not_sure_counts_as_the_flagged_answer(posted: dict[str, object], field: str) -> None:
    yes = evaluate({**posted, field: "yes"})
    not_sure = evaluate({**posted, field: "not_sure"})

    assert not_sure.level is yes.level
    assert not_sure.rule_ids == yes.rule_ids


@settings(deadline=None)
@given(valid_answers)
def test_the_stretches_never_come_with_a_nerve_sign_or_an_urgent_result(
    posted: dict[str, object],
) -> None:
    result = evaluate(posted)

    if stretch_routine_applies(result):
        assert result.level in {Level.SELF_CARE, Level.BOOK_ASSESSMENT}
        assert not has_nerve_sign(result.cleaned)
        assert result.cleaned["test_pain"] == "no"
        assert "stopped_pain" not in (result.cleaned["aket_left"], result.cleaned["aket_right"])
    if result.level >= Level.NOT_ASSESSED or has_nerve_sign(result.cleaned):
        assert "aket_left" not in result.cleaned


@settings(deadline=None)
@given(valid_answers, st.sampled_from(sorted(ESCALATIONS)), st.data())
def test_a_more_worrying_answer_never_lowers_the_level(
    posted: dict[str, object], field: str, data: st.DataObject
) -> None:
    scale = ESCALATIONS[field]
    low, high = sorted(
        data.draw(st.lists(st.sampled_from(scale), min_size=2, max_size=2)), key=scale.index
    )

    assert evaluate({**posted, field: high}).level >= evaluate({**posted, field: low}).level


@settings(deadline=None)
@given(valid_answers, st.integers(0, 10), st.integers(0, 10))
def test_more_pain_never_lowers_the_level(posted: dict[str, object], a: int, b: int) -> None:
    low, high = sorted((a, b))

    assert (
        evaluate({**posted, "pain_score": high}).level
        >= evaluate({**posted, "pain_score": low}).level
    )


@settings(deadline=None)
@given(valid_answers)
def test_answering_more_steps_never_lowers_the_level(posted: dict[str, object]) -> None:
    levels = [evaluate(posted, through_step=step).level for step in (1, 2, 3, 4)]

    assert levels == sorted(levels)


@settings(deadline=None)
@given(valid_answers)
def test_the_level_is_the_highest_reason(posted: dict[str, object]) -> None:
    result = evaluate(posted)

    assert len(result.rule_ids) == len(set(result.rule_ids))
    assert result.level is max((r.level for r in result.reasons), default=Level.SELF_CARE)
    if result.level is Level.SELF_CARE:
        assert result.reasons == ()


@settings(deadline=None)
@given(valid_answers, st.sets(st.sampled_from(E_FIELDS), min_size=1))
def test_skipped_warning_signs_are_always_reported(
    posted: dict[str, object], skipped: set[str]
) -> None:
    for field in skipped:
        del posted[field]
    emergency_answered = posted.get("e7") == "both" or any(
        posted.get(field) in {"yes", "not_sure"} for field in E_YES_NO_FIELDS
    )

    for through_step in (1, None):
        if emergency_answered:
            assert evaluate(posted, through_step=through_step).level is Level.EMERGENCY
        else:
            error = rejected(posted, through_step=through_step)
            assert set(error.errors) & set(E_FIELDS) == skipped
