"""The triage engine for the back-pain self-assessment (ruleset v2).

:func:`evaluate` turns a patient's answers into a triage :class:`Level`, the reasons for it
and the cleaned answers, following ``shared/clinical/triage-spec.md``. It is a pure
function over plain values, with no models, database or request, so every rule is unit
tested in isolation and the same engine serves the questionnaire, the API and the admin.

The rules are data (:data:`RULESET`), versioned by :data:`RULESET_VERSION`; a stored
submission keeps that version, its cleaned answers and the triggered rule ids, so a result
can always be explained by the rules that produced it. Change a rule, change the version:
``tests/assessments/test_change_control.py`` pins a fingerprint of the rules to it.

Clinical decisions encoded here:

* The level is the highest triggered level and a later answer can never lower it.
  With no rule triggered the level is ``SELF_CARE``.
* A missing or blank answer is never read as ``no``: it is a validation error, and so is an
  answer that is not one of the question's values. :class:`TriageValidationError` names every
  bad field at once. The one exception: when the valid answers already fire an EMERGENCY
  rule, that result is returned regardless, because "nothing else needs to be answered
  first" and no other answer could lower it.
* On the E- and U-questions ``not_sure`` counts as the flagged answer.
* Under 16s: ``NOT_ASSESSED`` ranks *above* ``BOOK_ASSESSMENT`` and *below* ``URGENT``, and
  "under 16" is an ordinary rule (``UNDER_16``) at that level. So an emergency sign at any
  age gives ``EMERGENCY``, an urgent sign under 16 gives ``URGENT`` (``NOT_ASSESSED`` gives
  no time frame, so answering it instead would under-triage), and otherwise an under-16 gets
  ``NOT_ASSESSED`` (see a GP or call NHS 111). A later answer still never lowers the level.
* An EMERGENCY or URGENT result ends the questionnaire at once (:func:`next_step`).
* The inflammatory screen (``i1`` to ``i4``) is asked only when the pain has lasted over 12
  weeks and the person is under 45; otherwise posted values are ignored.
* The flexibility tests (step 4) are asked only while the level is ``SELF_CARE`` or
  ``BOOK_ASSESSMENT`` and there is no nerve sign (:func:`has_nerve_sign`). When they are not
  asked, any step-4 values are ignored, so a stale or malformed field can never stand
  between a patient and urgent advice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from assessments.questions import (
    FLEXIBILITY_STEP,
    LAST_STEP,
    NO,
    NOT_SURE,
    QUESTIONS_BY_FIELD,
    STEPS,
    YES,
    Question,
    StrOrPromise,
    questions_for_step,
)

RULESET_VERSION: Final = "v2"


class Level(StrEnum):
    """A triage outcome, ordered by how soon and where the patient must be seen.

    Members are declared lowest first. Comparisons between levels use that clinical order,
    not the alphabet, so ``max(levels)`` is the most serious. Comparing a level with a plain
    string is refused rather than silently done alphabetically.
    """

    SELF_CARE = "SELF_CARE"
    BOOK_ASSESSMENT = "BOOK_ASSESSMENT"
    # Between BOOK_ASSESSMENT and URGENT: see the module docstring.
    NOT_ASSESSED = "NOT_ASSESSED"
    URGENT = "URGENT"
    EMERGENCY = "EMERGENCY"

    @property
    def rank(self) -> int:
        return _LEVEL_RANK[self]

    def _rank_of(self, other: object) -> int:
        if not isinstance(other, Level):
            raise TypeError(f"cannot order Level against {type(other).__name__}")
        return other.rank

    def __lt__(self, other: object) -> bool:  # type: ignore[override]
        return self.rank < self._rank_of(other)

    def __le__(self, other: object) -> bool:  # type: ignore[override]
        return self.rank <= self._rank_of(other)

    def __gt__(self, other: object) -> bool:  # type: ignore[override]
        return self.rank > self._rank_of(other)

    def __ge__(self, other: object) -> bool:  # type: ignore[override]
        return self.rank >= self._rank_of(other)


_LEVEL_RANK: Final[Mapping[Level, int]] = {level: rank for rank, level in enumerate(Level)}

#: Levels at which the flexibility tests and the stretch routine may be offered.
FLEXIBILITY_LEVELS: Final = frozenset({Level.SELF_CARE, Level.BOOK_ASSESSMENT})

#: Levels at which the questionnaire ends at once: nothing asked later could change the
#: advice, and the patient must not be kept answering questions.
ENDING_LEVELS: Final = frozenset({Level.URGENT, Level.EMERGENCY})

#: Answers to an E- or U-question that trigger its rule. "Not sure" is not a safe "no".
FLAGGED: Final = frozenset({YES, NOT_SURE})


# --- Rules ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Condition:
    """A predicate over cleaned answers that declares which answers it reads.

    Declaring the fields lets a rule know which step it belongs to, and passing only those
    values to ``test`` means a rule cannot quietly depend on an answer it did not declare.
    ``spec`` describes the test as plain data, for the change-control fingerprint.
    """

    fields: tuple[str, ...]
    test: Callable[..., bool]
    spec: tuple[object, ...] = ()

    def __call__(self, cleaned: Mapping[str, object]) -> bool:
        return self.test(*(cleaned[field] for field in self.fields))


def answer_in(field: str, values: Iterable[str]) -> Condition:
    """The answer to ``field`` is one of ``values``."""
    accepted = frozenset(values)
    return Condition((field,), lambda value: value in accepted, ("in", sorted(accepted)))


def answer_at_least(field: str, minimum: int) -> Condition:
    """The whole-number answer to ``field`` is ``minimum`` or more."""
    return Condition((field,), lambda value: value >= minimum, (">=", minimum))


def answer_below(field: str, limit: int) -> Condition:
    """The whole-number answer to ``field`` is less than ``limit``."""
    return Condition((field,), lambda value: value < limit, ("<", limit))


def computed(fields: tuple[str, ...], test: Callable[..., bool]) -> Condition:
    """A condition computed by a named function of ``fields``; its source is fingerprinted."""
    return Condition(fields, test, ("function", test.__name__))


def _first_episode_outside_20_to_50(age: int, first_episode: str) -> bool:
    # Age alone over-triages, so it only counts with a first episode.
    return first_episode == YES and (age < 20 or age > 50)


def _fragility_fracture_risk(u9: str, u10: str, age: int) -> bool:
    # A minor fall, knock or lift matters with thin bones, long-term steroids or age 65+.
    return u9 in FLAGGED and (u10 in FLAGGED or age >= 65)


def _inflammatory(duration: str, age: int, i1: str, i2: str, i3: str, i4: str) -> bool:
    # NICE NG65: at least 2 of the 4 features, in pain over 12 weeks that began before 45.
    if duration != "over_12_weeks" or age >= 45:
        return False
    return [i1, i2, i3, i4].count(YES) >= 2


def _stopped_by_pain(aket_left: str, aket_right: str) -> bool:
    return "stopped_pain" in (aket_left, aket_right)


@dataclass(frozen=True, slots=True)
class Rule:
    """One triage rule: when ``condition`` holds, the level is at least ``level``."""

    id: str
    level: Level
    condition: Condition
    #: Patient-facing: "Because you told us ...".
    reason: StrOrPromise

    @property
    def step(self) -> int:
        """The questionnaire step after which this rule can be evaluated."""
        return max(QUESTIONS_BY_FIELD[field].step for field in self.condition.fields)


@dataclass(frozen=True, slots=True)
class Reason:
    """A triggered rule, as shown on the result page and stored with a submission."""

    rule_id: str
    level: Level
    text: StrOrPromise


RULESET: Final[tuple[Rule, ...]] = (
    # Step 1: possible cauda equina syndrome or other emergencies. Reasons say "may have"
    # because "not sure" triggers them too.
    Rule(
        "E1",
        Level.EMERGENCY,
        answer_in("e1", FLAGGED),
        _(
            "Because you told us you have, or may have, new numbness, tingling or an odd feeling "
            "between your legs."
        ),
    ),
    Rule(
        "E2",
        Level.EMERGENCY,
        answer_in("e2", FLAGGED),
        _("Because you told us peeing has, or may have, changed since your back pain began."),
    ),
    Rule(
        "E3",
        Level.EMERGENCY,
        answer_in("e3", FLAGGED),
        _("Because you told us you are, or may be, leaking pee or losing control of when you pee."),
    ),
    Rule(
        "E4",
        Level.EMERGENCY,
        answer_in("e4", FLAGGED),
        _(
            "Because you told us you have, or may have, lost control of when you poo, or "
            "the feeling that you need to go."
        ),
    ),
    Rule(
        "E5",
        Level.EMERGENCY,
        answer_in("e5", FLAGGED),
        _("Because you told us sex feels, or may feel, different since your back pain began."),
    ),
    Rule(
        "E6",
        Level.EMERGENCY,
        answer_in("e6", FLAGGED),
        _(
            "Because you told us you have, or may have, pain down both legs, or new numbness, "
            "tingling or weakness in both legs."
        ),
    ),
    Rule(
        "E7_BOTH",
        Level.EMERGENCY,
        answer_in("e7", {"both"}),
        _("Because you told us both legs are weak, and it is severe or getting worse."),
    ),
    Rule(
        "E7_ONE",
        Level.URGENT,
        answer_in("e7", {"one", NOT_SURE}),
        _(
            "Because you told us a leg is, or may be, weak in a way that is severe or "
            "getting worse."
        ),
    ),
    Rule(
        "E8",
        Level.EMERGENCY,
        answer_in("e8", FLAGGED),
        _("Because you told us you have, or may have, chest pain with your back pain."),
    ),
    Rule(
        "E9",
        Level.EMERGENCY,
        answer_in("e9", FLAGGED),
        _("Because you told us your pain started, or may have started, after a serious accident."),
    ),
    Rule(
        "E10",
        Level.EMERGENCY,
        answer_in("e10", FLAGGED),
        _(
            "Because you told us the pain came on, or may have come on, suddenly and very badly, "
            "with feeling faint, sweaty or dizzy, or collapsing."
        ),
    ),
    # Step 2: possible serious causes that need a doctor the same day.
    Rule(
        "U1",
        Level.URGENT,
        answer_in("u1", FLAGGED),
        _(
            "Because you told us you have, or may have, a high temperature or shivers, or you feel "
            "very unwell."
        ),
    ),
    Rule(
        "U2",
        Level.URGENT,
        answer_in("u2", FLAGGED),
        _("Because you told us you have had cancer, or you are not sure."),
    ),
    Rule(
        "U3",
        Level.URGENT,
        answer_in("u3", FLAGGED),
        _("Because you told us you are, or may be, losing weight without trying."),
    ),
    Rule(
        "U4",
        Level.URGENT,
        answer_in("u4", FLAGGED),
        _(
            "Because you told us you have, or may have, a weak immune system, or you have injected "
            "drugs."
        ),
    ),
    Rule(
        "U5",
        Level.URGENT,
        answer_in("u5", FLAGGED),
        _(
            "Because you told us your pain is, or may be, there all the time, even at rest, "
            "or worse at night."
        ),
    ),
    Rule(
        "U6",
        Level.URGENT,
        answer_in("u6", FLAGGED),
        _("Because you told us your pain is, or may be, mainly in your upper or middle back."),
    ),
    Rule(
        "U7",
        Level.URGENT,
        answer_in("u7", FLAGGED),
        _(
            "Because you told us you have, or may have, a lump or swelling, or a change in "
            "the shape of your back."
        ),
    ),
    Rule(
        "U8",
        Level.URGENT,
        answer_in("u8", FLAGGED),
        _(
            "Because you told us your pain gets, or may get, worse when you cough, sneeze "
            "or strain."
        ),
    ),
    Rule(
        "U9",
        Level.URGENT,
        computed(("u9", "u10", "age"), _fragility_fracture_risk),
        _(
            "Because you told us the pain started after a small fall, knock or lift. You also have "
            "thin bones, have taken steroids for a long time, or are 65 or over."
        ),
    ),
    Rule(
        "U11",
        Level.URGENT,
        answer_in("u11", FLAGGED),
        _(
            "Because you told us you have, or may have, had a back operation or injection "
            "lately, or an infection."
        ),
    ),
    Rule(
        "UNDER_16",
        Level.NOT_ASSESSED,
        answer_below("age", 16),
        _("Because you told us you are under 16. This check is for people aged 16 and over."),
    ),
    Rule(
        "AGE_FIRST_EPISODE",
        Level.BOOK_ASSESSMENT,
        computed(("age", "first_episode"), _first_episode_outside_20_to_50),
        _(
            "Because you told us this is your first back pain like this, and you are under 20 or "
            "over 50."
        ),
    ),
    # Step 3: signs that need a clinician within days, or today for a new weak leg.
    Rule(
        "B1",
        Level.BOOK_ASSESSMENT,
        answer_in("b1", {"below_knee"}),
        _("Because you told us your pain spreads down your leg below the knee."),
    ),
    Rule(
        "B2",
        Level.BOOK_ASSESSMENT,
        answer_in("b2", {YES}),
        _("Because you told us you have numbness or tingling in one leg or foot that stays."),
    ),
    Rule(
        "B3",
        Level.BOOK_ASSESSMENT,
        answer_in("b3", {"longstanding"}),
        _(
            "Because you told us one leg has been weak for more than 2 weeks, so standing "
            "or walking is hard."
        ),
    ),
    Rule(
        "B3_NEW",
        Level.URGENT,
        answer_in("b3", {"new"}),
        _(
            "Because you told us one leg became weak in the last 2 weeks, so standing or "
            "walking is hard."
        ),
    ),
    Rule(
        "B4",
        Level.BOOK_ASSESSMENT,
        answer_in("b4", {"same", "worse"}),
        _(
            "Because you told us your pain is the same or worse after a week or more of "
            "gentle stretching."
        ),
    ),
    Rule(
        "B5",
        Level.BOOK_ASSESSMENT,
        answer_in("b5", {YES}),
        _(
            "Because you told us your pain is severe or getting worse, stops you doing everyday "
            "things, or is hard to cope with."
        ),
    ),
    Rule(
        "PAIN_SCORE",
        Level.BOOK_ASSESSMENT,
        answer_at_least("pain_score", 8),
        _("Because you told us your pain is 8 or more out of 10."),
    ),
    Rule(
        "INFLAMMATORY",
        Level.BOOK_ASSESSMENT,
        computed(("duration", "age", "i1", "i2", "i3", "i4"), _inflammatory),
        _(
            "Because of your answers about stiffness and your health. Please mention them to "
            "your GP, who may want to check for an inflammatory cause."
        ),
    ),
    # Step 4: a home test stopped by pain, or one that sends symptoms down the leg, needs a
    # clinician to look.
    Rule(
        "FLEX_PAIN",
        Level.BOOK_ASSESSMENT,
        computed(("aket_left", "aket_right"), _stopped_by_pain),
        _("Because you told us pain stopped you during the 90/90 test."),
    ),
    Rule(
        "TEST_PAIN",
        Level.BOOK_ASSESSMENT,
        answer_in("test_pain", {YES}),
        _("Because you told us a test gave you pain, tingling or numbness down your leg."),
    ),
)


def has_nerve_sign(cleaned: Mapping[str, object]) -> bool:
    """Whether the answers show a nerve sign: pain below the knee, or one leg numb or weak.

    With a nerve sign the flexibility tests are not asked and the stretches never shown.
    """
    return (
        cleaned.get("b1") == "below_knee"
        or cleaned.get("b2") == YES
        or cleaned.get("b3") in {"longstanding", "new"}
    )


# --- Validation -------------------------------------------------------------------------------


class TriageValidationError(ValueError):
    """Some answers are missing or invalid.

    ``errors`` maps every bad field to a patient-facing message and ``codes`` maps it to a
    machine-readable code: ``required``, ``invalid_choice``, ``invalid_number`` or
    ``out_of_range``. Both follow the order the questions are asked in.
    """

    def __init__(self, errors: Mapping[str, StrOrPromise], codes: Mapping[str, str]) -> None:
        self.errors: dict[str, StrOrPromise] = dict(errors)
        self.codes: dict[str, str] = dict(codes)
        # Field names only: rendering the lazy messages here would need configured settings.
        super().__init__(f"Missing or invalid answers: {', '.join(self.errors)}")

    @property
    def steps(self) -> tuple[int, ...]:
        """The questionnaire steps holding a bad answer, first to last."""
        return tuple(sorted({QUESTIONS_BY_FIELD[field].step for field in self.errors}))


class _InvalidAnswer(Exception):
    def __init__(self, code: str, message: StrOrPromise) -> None:
        super().__init__(code)
        self.code = code
        self.message = message


# Plain ASCII digits only: ``str.isdigit`` also accepts characters such as "²" that ``int``
# rejects, and decimals like "12.5" are not whole years.
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


def _clean_answer(question: Question, raw: object) -> object:
    """Return the cleaned value of one answer, or raise ``_InvalidAnswer``."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if question.required:
            raise _InvalidAnswer("required", _("Please answer this question."))
        return None
    if not question.is_number:
        if isinstance(raw, str) and raw.strip() in question.values:
            return raw.strip()
        raise _InvalidAnswer("invalid_choice", _("Please choose one of the answers given."))

    range_message = format_lazy(
        _("Please enter a whole number from {minimum} to {maximum}."),
        minimum=question.min_value,
        maximum=question.max_value,
    )
    # bool is an int subclass, but True is not an age.
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    elif isinstance(raw, str) and _WHOLE_NUMBER.fullmatch(raw.strip()):
        try:
            value = int(raw.strip())
        except ValueError:  # Longer than Python's int-conversion digit limit.
            raise _InvalidAnswer("out_of_range", range_message) from None
    else:
        raise _InvalidAnswer("invalid_number", range_message)
    too_low = question.min_value is not None and value < question.min_value
    too_high = question.max_value is not None and value > question.max_value
    if too_low or too_high:
        raise _InvalidAnswer("out_of_range", range_message)
    return value


def _clean_steps(
    answers: Mapping[str, object], steps: Iterable[int]
) -> tuple[dict[str, object], TriageValidationError | None]:
    """Clean every answer on ``steps``: the valid ones, and an error naming all the bad ones.

    Keys that are not questions on these steps are ignored.
    """
    cleaned: dict[str, object] = {}
    errors: dict[str, StrOrPromise] = {}
    codes: dict[str, str] = {}
    for step in steps:
        for question in questions_for_step(step):
            if not question.is_asked(cleaned):
                # Not asked (the inflammatory screen outside its conditions): any posted
                # value is ignored.
                continue
            try:
                cleaned[question.field] = _clean_answer(question, answers.get(question.field))
            except _InvalidAnswer as invalid:
                errors[question.field] = invalid.message
                codes[question.field] = invalid.code
    return cleaned, TriageValidationError(errors, codes) if errors else None


# --- Evaluation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TriageResult:
    """The outcome of :func:`evaluate`.

    ``reasons`` lists every triggered rule once, most serious first and otherwise in
    ruleset order. ``cleaned`` holds the validated answers that were evaluated (numbers as
    ``int``, an empty optional number as ``None``), ready to store as JSON; an emergency
    found despite missing or invalid answers keeps only the valid ones. ``through_step`` is
    the last questionnaire step taken into account.
    """

    level: Level
    reasons: tuple[Reason, ...]
    ruleset_version: str
    cleaned: Mapping[str, object]
    through_step: int

    @property
    def rule_ids(self) -> tuple[str, ...]:
        """The triggered rule ids, as stored with a submission."""
        return tuple(reason.rule_id for reason in self.reasons)

    @property
    def complete(self) -> bool:
        """Whether the questionnaire is finished: no further step will be asked."""
        return next_step(self) is None


def _triggered(rules: Iterable[Rule], cleaned: Mapping[str, object]) -> list[Rule]:
    """The rules that fire on ``cleaned``, skipping any that read an invalid answer."""
    return [
        rule
        for rule in rules
        if all(field in cleaned for field in rule.condition.fields) and rule.condition(cleaned)
    ]


def _highest(rules: Iterable[Rule]) -> Level:
    return max((rule.level for rule in rules), default=Level.SELF_CARE)


def evaluate(answers: Mapping[str, object], *, through_step: int | None = None) -> TriageResult:
    """Triage ``answers``, as posted: strings, with numbers as strings or ``int``.

    By default every step is evaluated: steps 1 to 3 must all be answered, and step 4 too
    when the flexibility tests apply at the level steps 1 to 3 reach (``sit_reach_cm`` is
    optional). With ``through_step`` only the answers up to that step are validated and
    evaluated, so the questionnaire can stop after step 1 with an emergency before anything
    else is asked; see :func:`next_step`.

    Raises :class:`TriageValidationError` naming every missing or invalid answer, unless the
    valid answers already give ``EMERGENCY``: then that result is returned at once.
    """
    last_step = LAST_STEP if through_step is None else through_step
    if last_step not in {step.number for step in STEPS}:
        raise ValueError(f"through_step must be a step number or None, not {through_step!r}")

    last_screening_step = min(last_step, FLEXIBILITY_STEP - 1)
    cleaned, invalid = _clean_steps(answers, range(1, last_screening_step + 1))
    screening_rules = (rule for rule in RULESET if rule.step <= last_screening_step)
    triggered = _triggered(screening_rules, cleaned)

    if invalid is not None:
        # An emergency answer stands on its own: the patient is sent to 999 or A&E at once,
        # not asked to finish the page first. Nothing ranks above EMERGENCY, so the other
        # answers could not change that; without one, a bad answer is an error, never a "no".
        if _highest(triggered) is not Level.EMERGENCY:
            raise invalid
    elif last_step == FLEXIBILITY_STEP and flexibility_tests_apply(_highest(triggered), cleaned):
        # Whether the tests are asked depends on the level so far, so they are validated
        # only once that level is known; when they are not asked, their answers are ignored.
        tests, invalid = _clean_steps(answers, [FLEXIBILITY_STEP])
        if invalid is not None:
            raise invalid
        cleaned |= tests
        test_rules = (rule for rule in RULESET if rule.step == FLEXIBILITY_STEP)
        triggered += _triggered(test_rules, cleaned)

    # sorted() is stable, so rules of the same level keep their ruleset order.
    by_severity = sorted(triggered, key=lambda rule: rule.level, reverse=True)
    return TriageResult(
        level=_highest(triggered),
        reasons=tuple(Reason(rule.id, rule.level, rule.reason) for rule in by_severity),
        ruleset_version=RULESET_VERSION,
        cleaned=cleaned,
        through_step=last_step,
    )


def flexibility_tests_apply(level: Level | str, cleaned: Mapping[str, object]) -> bool:
    """Whether the flexibility tests (step 4) are asked at ``level`` with these answers.

    Never on an emergency, urgent or not-assessed result (a home test must not delay care),
    and never with a nerve sign (a stretch test could aggravate a trapped nerve).
    """
    return Level(level) in FLEXIBILITY_LEVELS and not has_nerve_sign(cleaned)


def next_step(result: TriageResult) -> int | None:
    """The questionnaire step to show after ``result``, or ``None`` for the result page."""
    # An emergency or urgent result ends the questionnaire at once: nothing asked later could
    # lower it, and the patient needs to act now or today, not answer more questions.
    if result.through_step == LAST_STEP or result.level in ENDING_LEVELS:
        return None
    following = result.through_step + 1
    if following == FLEXIBILITY_STEP and not flexibility_tests_apply(result.level, result.cleaned):
        return None
    return following


# --- Flexibility results ----------------------------------------------------------------------


class FlexibilityOutcome(StrEnum):
    """What one home flexibility test showed. Texts: ``questions.FLEXIBILITY_OUTCOME_TEXT``."""

    HEALTHY = "healthy"
    TIGHT = "tight"
    STOPPED_BY_PAIN = "stopped_by_pain"
    GOOD = "good"
    AVERAGE = "average"
    REDUCED = "reduced"


_HAMSTRING_OUTCOMES: Final[Mapping[str, FlexibilityOutcome]] = {
    "within_20": FlexibilityOutcome.HEALTHY,
    "over_20": FlexibilityOutcome.TIGHT,
    "stopped_pain": FlexibilityOutcome.STOPPED_BY_PAIN,
}
_SIT_REACH_OUTCOMES: Final[Mapping[str, FlexibilityOutcome]] = {
    "past_toes": FlexibilityOutcome.GOOD,
    "touched_toes": FlexibilityOutcome.AVERAGE,
    "short": FlexibilityOutcome.REDUCED,
}
_OUTCOMES_BY_FIELD: Final[Mapping[str, Mapping[str, FlexibilityOutcome]]] = {
    "aket_left": _HAMSTRING_OUTCOMES,
    "aket_right": _HAMSTRING_OUTCOMES,
    "sit_reach": _SIT_REACH_OUTCOMES,
}

#: Outcomes that the stretch routine is meant for.
_NEEDS_STRETCHING: Final = frozenset({FlexibilityOutcome.TIGHT, FlexibilityOutcome.REDUCED})


def flexibility_summary(cleaned: Mapping[str, object]) -> dict[str, FlexibilityOutcome]:
    """Map each flexibility test answered in ``cleaned`` to its outcome.

    Keys are ``aket_left``, ``aket_right`` and ``sit_reach``, in that order; tests that were
    not asked are left out, so the summary is empty when step 4 did not apply.
    """
    return {
        field: outcomes[str(cleaned[field])]
        for field, outcomes in _OUTCOMES_BY_FIELD.items()
        if cleaned.get(field) is not None
    }


def stretch_routine_applies(result: TriageResult) -> bool:
    """Whether the result page shows the stretch routine.

    Only when all hold: the level is SELF_CARE or BOOK_ASSESSMENT, there is no nerve sign,
    no test was stopped by pain or sent symptoms down a leg, and a test showed tightness.
    """
    cleaned = result.cleaned
    if result.level not in FLEXIBILITY_LEVELS or has_nerve_sign(cleaned):
        return False
    if cleaned.get("test_pain") != NO:
        return False
    outcomes = set(flexibility_summary(cleaned).values())
    if FlexibilityOutcome.STOPPED_BY_PAIN in outcomes:
        return False
    return not _NEEDS_STRETCHING.isdisjoint(outcomes)


def stretches_on_hold(result: TriageResult) -> bool:
    """Whether the result says to leave the stretches until a clinician has checked the leg.

    At the levels where stretches could be offered, when a nerve sign is present or a home
    test hurt or sent symptoms down a leg.
    """
    if result.level not in FLEXIBILITY_LEVELS:
        return False
    return (
        has_nerve_sign(result.cleaned)
        or result.cleaned.get("test_pain") == YES
        or FlexibilityOutcome.STOPPED_BY_PAIN in flexibility_summary(result.cleaned).values()
    )


def questions_asked(step: int, answers: Mapping[str, object]) -> tuple[Question, ...]:
    """The questions shown on ``step``, given the (raw) answers to the steps before it."""
    earlier, _invalid = _clean_steps(answers, range(1, step))
    return tuple(question for question in questions_for_step(step) if question.is_asked(earlier))
