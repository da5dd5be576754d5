"""What a patient is shown for a triage result, as plain template-ready values.

The result page and the "email me my results" email both read :func:`result_summary`, so a
patient sees the same advice, reasons and safety net on screen and in their inbox. Values
are plain strings, lists and dicts (lazy translations resolved), so the summary can also be
handed to the notification outbox as JSON.
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET

from django.contrib.staticfiles import finders

from assessments import wording_v1
from assessments.questions import (
    CALL_999_RULES,
    CALL_999_TITLE,
    CAUDA_EQUINA_HANDOVER,
    CAUDA_EQUINA_RULES,
    DISCLAIMER,
    FLEXIBILITY_OUTCOME_TEXT,
    HOLD_STRETCHES_ADVICE,
    LEVEL_ADVICE,
    QUESTIONS_BY_FIELD,
    REACH_MISMATCH,
    RETEST_ADVICE,
    ROUTINE_INTRO,
    STRETCH_ROUTINE,
    STRETCH_ROUTINE_TIPS,
    STRETCH_STOP_NOTE,
    WORDING_VERSION,
)
from assessments.safety_net import safety_net_tiers
from assessments.triage import (
    FLEXIBILITY_LEVELS,
    RULESET,
    Level,
    TriageResult,
    flexibility_summary,
    stretch_routine_applies,
    stretches_on_hold,
)

#: Short names of the home tests, as the result page lists them.
FLEXIBILITY_TEST_NAMES = {
    "aket_left": "90/90 hamstring test, left leg",
    "aket_right": "90/90 hamstring test, right leg",
    "sit_reach": "Sit-and-reach test",
}

_SVG = "{http://www.w3.org/2000/svg}"
_RULES_BY_ID = {rule.id: rule for rule in RULESET}


@functools.cache
def illustration_alt(static_path: str, fallback: str) -> str:
    """The text alternative of one of our SVG drawings: its ``<desc>``, else ``fallback``."""
    path = finders.find(static_path)
    if not path:
        return fallback
    try:
        desc = ET.parse(path).getroot().find(f"{_SVG}desc")  # noqa: S314 (our own static files, not user input)
    except (OSError, ET.ParseError):
        return fallback
    return " ".join(desc.text.split()) if desc is not None and desc.text else fallback


def _reach_description(cm: object) -> str:
    if not isinstance(cm, int):
        return ""
    if cm > 0:
        return f"You reached {cm} cm past your toes."
    if cm < 0:
        return f"You stopped {-cm} cm short of your toes."
    return "You reached your toes."


def _reach_fits(choice: object, cm: int) -> bool:
    """Whether a measured reach agrees with the answer chosen (a couple of cm either way
    still counts as touching the toes)."""
    if choice == "past_toes":
        return cm > 0
    if choice == "short":
        return cm < 0
    return -2 <= cm <= 2


def flexibility_rows(cleaned) -> list[dict[str, str]]:
    """One row per home test answered: the test, the outcome and what it may mean.

    A measured reach that fits the answer replaces the finding, so the row does not say the
    same thing twice; one that contradicts it is left out, with a note saying so.
    """
    rows = []
    for field, outcome in flexibility_summary(cleaned).items():
        text = FLEXIBILITY_OUTCOME_TEXT[str(outcome)]
        finding = str(text.finding)
        note = ""
        cm = cleaned.get("sit_reach_cm")
        if field == "sit_reach" and isinstance(cm, int):
            if _reach_fits(cleaned.get("sit_reach"), cm):
                finding = _reach_description(cm)
            else:
                note = str(REACH_MISMATCH)
        rows.append(
            {
                "test": FLEXIBILITY_TEST_NAMES[field],
                "outcome": str(outcome),
                "label": str(text.label),
                "explanation": " ".join(
                    part for part in (finding, str(text.meaning), note) if part
                ),
            }
        )
    return rows


def routine_rows() -> list[dict[str, object]]:
    return [
        {
            "slug": exercise.slug,
            "name": str(exercise.name),
            "kind": exercise.kind,
            "target": str(exercise.target),
            "hold": str(exercise.hold),
            "frequency": str(exercise.frequency),
            "how_to": [str(step) for step in exercise.how_to],
            "image": exercise.image,
            "image_alt": illustration_alt(exercise.image, f"Drawing of the {exercise.name}"),
        }
        for exercise in STRETCH_ROUTINE
    ]


def _title(result: TriageResult) -> str:
    if result.level is Level.EMERGENCY and not CALL_999_RULES.isdisjoint(result.rule_ids):
        # A possible heart or aorta emergency: an ambulance, not a trip to A&E.
        return str(CALL_999_TITLE)
    return str(LEVEL_ADVICE[result.level].title)


def result_summary(result: TriageResult) -> dict[str, object]:
    """Everything the result page and the results email say about ``result``."""
    advice = LEVEL_ADVICE[result.level]
    emergency = result.level is Level.EMERGENCY
    shows_routine = stretch_routine_applies(result)
    return {
        "level": str(result.level),
        "title": _title(result),
        "ambulance_first": result.level is Level.EMERGENCY
        and not CALL_999_RULES.isdisjoint(result.rule_ids),
        "actions": [str(action) for action in advice.actions],
        "cauda_equina_handover": (
            str(CAUDA_EQUINA_HANDOVER)
            if emergency and not CAUDA_EQUINA_RULES.isdisjoint(result.rule_ids)
            else ""
        ),
        "reasons": [str(reason.text) for reason in result.reasons],
        "offers_booking": advice.offers_booking,
        "shows_safety_net": advice.shows_safety_net,
        "safety_net_tiers": [
            {"key": tier.key, "title": str(tier.title), "items": [str(i) for i in tier.items]}
            for tier in safety_net_tiers()
        ],
        "flexibility": (
            flexibility_rows(result.cleaned) if result.level in FLEXIBILITY_LEVELS else []
        ),
        "shows_routine": shows_routine,
        "routine_intro": str(ROUTINE_INTRO),
        "routine": routine_rows() if shows_routine else [],
        "routine_tips": [str(tip) for tip in STRETCH_ROUTINE_TIPS] if shows_routine else [],
        "stretch_stop_note": str(STRETCH_STOP_NOTE),
        "hold_stretches": str(HOLD_STRETCHES_ADVICE) if stretches_on_hold(result) else "",
        "retest_advice": str(RETEST_ADVICE),
        "disclaimer": str(DISCLAIMER),
    }


def _question_wording(wording_version: str) -> dict[str, tuple[str, dict[str, str]]]:
    if wording_version == "v1":
        return dict(wording_v1.QUESTIONS)
    return {
        field: (str(question.text), {value: str(label) for value, label in question.choices})
        for field, question in QUESTIONS_BY_FIELD.items()
    }


def _reason_wording(wording_version: str) -> dict[str, str]:
    if wording_version == "v1":
        return dict(wording_v1.REASONS)
    return {rule_id: str(rule.reason) for rule_id, rule in _RULES_BY_ID.items()}


def answer_rows(answers, *, wording_version: str) -> list[tuple[str, str]]:
    """Stored answers as (question, answer) in the words the patient saw, in the order asked.

    ``wording_version`` is the one stored with the submission: a v1 submission is shown in
    v1's words, frozen in :mod:`assessments.wording_v1`.
    """
    wording = _question_wording(wording_version)
    rows = []
    for field, (text, labels) in wording.items():
        if field not in answers:
            continue
        value = answers[field]
        if value is None:
            label = "(not answered)"
        elif not labels:
            label = str(value)
        else:
            label = labels.get(value, str(value))
        rows.append((text, label))
    # Anything stored that this wording does not know.
    rows += [(field, str(value)) for field, value in answers.items() if field not in wording]
    return rows


def reason_rows(rule_ids, wording_version: str = WORDING_VERSION) -> list[tuple[str, str]]:
    """Triggered rules as (rule id, the reason the patient was given)."""
    wording = _reason_wording(wording_version)
    return [(rule_id, wording.get(rule_id, "")) for rule_id in rule_ids]
