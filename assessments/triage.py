"""The triage engine for the back-pain self-assessment (ruleset v1).

:func:`evaluate` turns a patient's answers into a triage :class:`Level`, the reasons for it
and the cleaned answers, following ``shared/clinical/triage-spec.md``. It is a pure
function over plain values, with no models, database or request, so every rule is unit
tested in isolation and the same engine serves the questionnaire, the API and the admin.

The rules are data (:data:`RULESET`), versioned by :data:`RULESET_VERSION`; a stored
submission keeps that version, its cleaned answers and the triggered rule ids, so a result
can always be explained by the rules that produced it. Change a rule, change the version.

Clinical decisions encoded here:

* The level is the highest triggered level and a later answer can never lower it.
  With no rule triggered the level is ``SELF_CARE``.
* A missing or blank answer is never read as ``no``: it is a validation error, and so is an
  answer that is not one of the question's values. :class:`TriageValidationError` names every
  bad field at once. The one exception: when the valid answers already fire an EMERGENCY
  rule, that result is returned regardless, because "nothing else needs to be answered
  first" and no other answer could lower it.
* On the warning-sign questions (step 1) ``not_sure`` counts as ``yes``.
* Under 16s. The spec reads "under 16 -> NOT_ASSESSED unless a higher level fires". We rank
  ``NOT_ASSESSED`` *above* ``BOOK_ASSESSMENT`` and *below* ``URGENT``, and treat "under 16"
  as an ordinary rule (``UNDER_16``) at that level, so the usual "highest level wins" gives:

  - an emergency sign at any age -> ``EMERGENCY`` (call 999 / A&E);
  - an urgent sign under 16 -> ``URGENT`` (GP today / NHS 111). ``NOT_ASSESSED`` gives no
    time frame, so answering it instead would under-triage;
  - only booking signs, or none, under 16 -> ``NOT_ASSESSED`` (see a GP or call NHS 111),
    which already sends the young person to a clinician and keeps them away from a clinic
    booking for adults.

  With that ranking a later answer still never lowers the level, under 16 or not.
* The flexibility tests (step 4) are asked only while the level is ``SELF_CARE`` or
  ``BOOK_ASSESSMENT``. When they are not asked, any step-4 values are ignored, so a stale or
  malformed field can never stand between a patient and urgent advice.
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
    NOT_SURE,
    QUESTIONS_BY_FIELD,
    STEPS,
    YES,
    Question,
    StrOrPromise,
    questions_for_step,
)

RULESET_VERSION: Final = "v1"


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

#: Levels at which the flexibility tests and the stretch routine are offered.
FLEXIBILITY_LEVELS: Final = frozenset({Level.SELF_CARE, Level.BOOK_ASSESSMENT})

#: Step-1 answers that trigger a warning-sign rule. "Not sure" is not a safe "no".
FLAGGED: Final = frozenset({YES, NOT_SURE})


# --- Rules ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Condition:
    """A predicate over cleaned answers that declares which answers it reads.

    Declaring the fields lets a rule know which step it belongs to, and passing only those
    values to ``test`` means a rule cannot quietly depend on an answer it did not declare.
    """

    fields: tuple[str, ...]
    test: Callable[..., bool]

    def __call__(self, cleaned: Mapping[str, object]) -> bool:
        return self.test(*(cleaned[field] for field in self.fields))


def answer_in(field: str, values: Iterable[str]) -> Condition:
    """The answer to ``field`` is one of ``values``."""
    accepted = frozenset(values)
    return Condition((field,), lambda value: value in accepted)


def answer_at_least(field: str, minimum: int) -> Condition:
    """The whole-number answer to ``field`` is ``minimum`` or more."""
    return Condition((field,), lambda value: value >= minimum)


def answer_below(field: str, limit: int) -> Condition:
    """The whole-number answer to ``field`` is less than ``limit``."""
    return Condition((field,), lambda value: value < limit)


def _first_episode_outside_20_to_50(age: int, first_episode: str) -> bool:
    # Ruleset v1: age alone over-triages, so it only counts with a first episode.
    return first_episode == YES and (age < 20 or age > 50)


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
            "Because you told us you have, or may have, new numbness, tingling or a strange "
            "feeling between your legs, around your private parts or your bottom."
        ),
    ),
    Rule(
        "E2",
        Level.EMERGENCY,
        answer_in("e2", FLAGGED),
        _("Because you told us peeing is, or may be, different from normal for you."),
    ),
    Rule(
        "E3",
        Level.EMERGENCY,
        answer_in("e3", FLAGGED),
        _("Because you told us you are, or may be, leaking pee or unable to control when you pee."),
    ),
    Rule(
        "E4",
        Level.EMERGENCY,
        answer_in("e4", FLAGGED),
        _(
            "Because you told us you have, or may have, trouble controlling when you poo or "
            "feeling when you need to go."
        ),
    ),
    Rule(
        "E5",
        Level.EMERGENCY,
        answer_in("e5", FLAGGED),
        _(
            "Because you told us you have, or may have, less feeling in your private parts "
            "during sex, or new erection or ejaculation problems."
        ),
    ),
    Rule(
        "E6",
        Level.EMERGENCY,
        answer_in("e6", FLAGGED),
        _(
            "Because you told us you have, or may have, new pain, numbness, tingling or "
            "weakness in both legs."
        ),
    ),
    Rule(
        "E7_BOTH",
        Level.EMERGENCY,
        answer_in("e7", {"both"}),
        _("Because you told us both legs are weak, and it is very bad or getting worse."),
    ),
    Rule(
        "E7_ONE",
        Level.URGENT,
        answer_in("e7", {"one"}),
        _("Because you told us one leg is weak, and it is very bad or getting worse."),
    ),
    Rule(
        "E8",
        Level.EMERGENCY,
        answer_in("e8", FLAGGED),
        _("Because you told us you have, or may have, new chest pain with your back pain."),
    ),
    Rule(
        "E9",
        Level.EMERGENCY,
        answer_in("e9", FLAGGED),
        _(
            "Because you told us your back pain started, or may have started, after a "
            "serious accident."
        ),
    ),
    # Step 2: possible serious causes that need a doctor the same day.
    Rule(
        "U1",
        Level.URGENT,
        answer_in("u1", {YES}),
        _("Because you told us you have a high temperature, shivers, or feel very unwell."),
    ),
    Rule("U2", Level.URGENT, answer_in("u2", {YES}), _("Because you told us you have had cancer.")),
    Rule(
        "U3",
        Level.URGENT,
        answer_in("u3", {YES}),
        _("Because you told us you are losing weight without trying to."),
    ),
    Rule(
        "U4",
        Level.URGENT,
        answer_in("u4", {YES}),
        _("Because you told us you have a weak immune system or have injected drugs."),
    ),
    Rule(
        "U5",
        Level.URGENT,
        answer_in("u5", {YES}),
        _(
            "Because you told us your pain is there all the time, does not ease when you "
            "rest or move, or is worse at night."
        ),
    ),
    Rule(
        "U6",
        Level.URGENT,
        answer_in("u6", {YES}),
        _("Because you told us your pain is mainly in your upper or middle back."),
    ),
    Rule(
        "U7",
        Level.URGENT,
        answer_in("u7", {YES}),
        _("Because you told us you have a lump or swelling, or your back has changed shape."),
    ),
    Rule(
        "U8",
        Level.URGENT,
        answer_in("u8", {YES}),
        _("Because you told us your pain gets worse when you cough, sneeze or strain."),
    ),
    Rule(
        "U9",
        Level.URGENT,
        answer_in("u9", {YES}),
        _(
            "Because you told us your pain started after a small fall or knock, and you have "
            "thin bones or take steroid tablets for a long time."
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
        Condition(("age", "first_episode"), _first_episode_outside_20_to_50),
        _(
            "Because you told us this is the first time you have had back pain like this, "
            "and you are under 20 or over 50."
        ),
    ),
    # Step 3: signs that need a clinician within days.
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
        answer_in("b3", {YES}),
        _("Because you told us one leg is weak, so standing or walking is hard."),
    ),
    Rule(
        "B4",
        Level.BOOK_ASSESSMENT,
        answer_in("b4", {"same", "worse"}),
        _(
            "Because you told us your pain is the same or worse after at least a week of "
            "gentle stretching."
        ),
    ),
    Rule(
        "B5",
        Level.BOOK_ASSESSMENT,
        answer_in("b5", {YES}),
        _(
            "Because you told us your pain is very bad or getting worse, stops you doing "
            "everyday things, or is hard to cope with."
        ),
    ),
    Rule(
        "PAIN_SCORE",
        Level.BOOK_ASSESSMENT,
        answer_at_least("pain_score", 8),
        _("Because you told us your pain is 8 or more out of 10."),
    ),
    # Step 4: a home test that sends symptoms down the leg needs a clinician to look.
    Rule(
        "TEST_PAIN",
        Level.BOOK_ASSESSMENT,
        answer_in("test_pain", {YES}),
        _(
            "Because you told us you got pain, tingling or numbness down your leg during a "
            "flexibility test."
        ),
    ),
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
    elif last_step == FLEXIBILITY_STEP and flexibility_tests_apply(_highest(triggered)):
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


def flexibility_tests_apply(level: Level | str) -> bool:
    """Whether the flexibility tests (step 4) are asked at ``level``.

    Never on an emergency, urgent or not-assessed result: a home test must not delay care.
    """
    return Level(level) in FLEXIBILITY_LEVELS


def next_step(result: TriageResult) -> int | None:
    """The questionnaire step to show after ``result``, or ``None`` for the result page."""
    # An emergency ends the questionnaire at once: nothing asked later can change it.
    if result.through_step == LAST_STEP or result.level is Level.EMERGENCY:
        return None
    following = result.through_step + 1
    if following == FLEXIBILITY_STEP and not flexibility_tests_apply(result.level):
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

    Only for a tight or reduced test result, and never on an emergency, urgent or
    not-assessed result, where stretching must wait until a clinician has checked.
    """
    if result.level not in FLEXIBILITY_LEVELS:
        return False
    return not _NEEDS_STRETCHING.isdisjoint(flexibility_summary(result.cleaned).values())
