"""Change control: fingerprints of the ruleset and of the patient-facing wording.

A change to a rule, to a question, to an answer or to an advice text changes a fingerprint.
``tests/assessments/test_change_control.py`` pins each fingerprint to its version string
(:data:`assessments.triage.RULESET_VERSION`, :data:`assessments.questions.WORDING_VERSION`),
so an edit that was not reviewed, signed off and given a new version fails CI. The review
itself is described in ``docs/clinical-safety/clinical-risk-management-plan.md``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import json
from collections.abc import Iterator, Mapping

from django.utils.functional import Promise

from assessments import questions, triage


def _digest(data: object) -> str:
    encoded = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()


def _source(function) -> str:
    return inspect.getsource(function)


def ruleset_fingerprint() -> str:
    """What decides a level: the rules, the questions' values and the flow's decisions."""
    rules = [
        {
            "id": rule.id,
            "level": str(rule.level),
            "fields": list(rule.condition.fields),
            "spec": list(rule.condition.spec),
            "source": (
                _source(rule.condition.test) if rule.condition.spec[:1] == ("function",) else ""
            ),
        }
        for rule in triage.RULESET
    ]
    asked = [
        {
            "field": question.field,
            "step": question.step,
            "values": list(question.values),
            "range": [question.min_value, question.max_value],
            "required": question.required,
            "asked_when": _source(question.asked_when) if question.asked_when else "",
        }
        for question in questions.QUESTIONS
    ]
    decisions = [
        [str(level) for level in triage.Level],
        sorted(str(level) for level in triage.FLEXIBILITY_LEVELS),
        sorted(str(level) for level in triage.ENDING_LEVELS),
        sorted(triage.FLAGGED),
        sorted(questions.CALL_999_RULES),
        sorted(questions.CAUDA_EQUINA_RULES),
        *(
            _source(function)
            for function in (
                triage.has_nerve_sign,
                triage.flexibility_tests_apply,
                triage.next_step,
                triage.stretch_routine_applies,
                triage.stretches_on_hold,
            )
        ),
    ]
    return _digest({"rules": rules, "questions": asked, "decisions": decisions})


def _texts(name: str, value: object) -> Iterator[tuple[str, str]]:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _texts(f"{name}.{field.name}", getattr(value, field.name))
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _texts(f"{name}[{key}]", item)
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from _texts(f"{name}[{index}]", item)
    elif isinstance(value, Promise):
        yield name, str(value)


def wording_texts() -> list[tuple[str, str]]:
    """Every patient-facing text of the questionnaire, the advice and the reasons."""
    texts = [
        text
        for name in sorted(dir(questions))
        if name.isupper() and name != "QUESTIONS_BY_FIELD"
        for text in _texts(name, getattr(questions, name))
    ]
    texts += [(f"reason {rule.id}", str(rule.reason)) for rule in triage.RULESET]
    return texts


def wording_fingerprint() -> str:
    return _digest(wording_texts())
