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

from assessments.questions import (
    DISCLAIMER,
    FLEXIBILITY_OUTCOME_TEXT,
    LEVEL_ADVICE,
    QUESTIONS_BY_FIELD,
    RETEST_ADVICE,
    SAFETY_NET,
    SAFETY_NET_TITLE,
    STRETCH_ROUTINE,
    STRETCH_ROUTINE_TIPS,
)
from assessments.triage import (
    RULESET,
    TriageResult,
    flexibility_summary,
    flexibility_tests_apply,
    stretch_routine_applies,
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


def flexibility_rows(cleaned) -> list[dict[str, str]]:
    """One row per home test answered: the test, the outcome and what it means."""
    rows = []
    for field, outcome in flexibility_summary(cleaned).items():
        text = FLEXIBILITY_OUTCOME_TEXT[str(outcome)]
        explanation = str(text.explanation)
        if field == "sit_reach" and (reach := _reach_description(cleaned.get("sit_reach_cm"))):
            explanation = f"{reach} {explanation}"
        rows.append(
            {
                "test": FLEXIBILITY_TEST_NAMES[field],
                "outcome": str(outcome),
                "label": str(text.label),
                "explanation": explanation,
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


def result_summary(result: TriageResult) -> dict[str, object]:
    """Everything the result page and the results email say about ``result``."""
    advice = LEVEL_ADVICE[result.level]
    shows_routine = flexibility_tests_apply(result.level)
    return {
        "level": str(result.level),
        "title": str(advice.title),
        "actions": [str(action) for action in advice.actions],
        "reasons": [str(reason.text) for reason in result.reasons],
        "offers_booking": advice.offers_booking,
        "shows_safety_net": advice.shows_safety_net,
        "safety_net_title": str(SAFETY_NET_TITLE),
        "safety_net": [str(item) for item in SAFETY_NET],
        "flexibility": flexibility_rows(result.cleaned) if shows_routine else [],
        "shows_routine": shows_routine,
        "routine_needed": stretch_routine_applies(result),
        "routine": routine_rows() if shows_routine else [],
        "routine_tips": [str(tip) for tip in STRETCH_ROUTINE_TIPS] if shows_routine else [],
        "retest_advice": str(RETEST_ADVICE),
        "disclaimer": str(DISCLAIMER),
    }


def answer_rows(answers) -> list[tuple[str, str]]:
    """Stored answers as (question, answer) in the patient's words, in the order asked."""
    rows = []
    for field, question in QUESTIONS_BY_FIELD.items():
        if field not in answers:
            continue
        value = answers[field]
        if value is None:
            label = "(not answered)"
        elif question.is_number:
            label = str(value)
        else:
            label = str(dict(question.choices).get(value, value))
        rows.append((str(question.text), label))
    # Anything stored under an older ruleset that this one no longer asks.
    rows += [
        (field, str(value)) for field, value in answers.items() if field not in QUESTIONS_BY_FIELD
    ]
    return rows


def reason_rows(rule_ids) -> list[tuple[str, str]]:
    """Triggered rules as (rule id, the reason the patient was given)."""
    return [
        (rule_id, str(_RULES_BY_ID[rule_id].reason) if rule_id in _RULES_BY_ID else "")
        for rule_id in rule_ids
    ]
