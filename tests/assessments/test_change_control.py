"""Change control: the rules and the wording are pinned to their version strings.

If this fails you changed a rule, a question, an answer or an advice text. That is fine once
it has been through the review in docs/clinical-safety/clinical-risk-management-plan.md: give
the change a new version (``RULESET_VERSION`` in assessments/triage.py for a rule,
``WORDING_VERSION`` in assessments/questions.py for wording), record it in the hazard log's
change history, and pin the new fingerprint below. Never edit a pinned fingerprint in place.
"""

from __future__ import annotations

import pytest

from assessments import questions, triage
from assessments.questions import WORDING_VERSION
from assessments.triage import RULESET_VERSION
from assessments.versioning import ruleset_fingerprint, wording_fingerprint, wording_texts

#: Reviewed and signed-off rulesets: version -> fingerprint.
RULESETS = {
    "v2": "3eb728ce63f95acbea80903439781c11414404d8c061cbc450e72036b08c54b9",
}
#: Reviewed and signed-off wording: version -> fingerprint.
WORDINGS = {
    "v2": "4806ed457219de857867947aca596aa1b515fe9a8a175fa5b0e857b8df08293e",
}


def test_the_ruleset_matches_its_version():
    assert RULESET_VERSION in RULESETS, f"ruleset {RULESET_VERSION} has not been pinned"
    assert ruleset_fingerprint() == RULESETS[RULESET_VERSION], (
        "The rules changed but RULESET_VERSION did not: see this module's docstring."
    )


def test_the_wording_matches_its_version():
    assert WORDING_VERSION in WORDINGS, f"wording {WORDING_VERSION} has not been pinned"
    assert wording_fingerprint() == WORDINGS[WORDING_VERSION], (
        "The wording changed but WORDING_VERSION did not: see this module's docstring."
    )


def test_the_wording_covers_questions_answers_advice_and_reasons():
    names = " ".join(name for name, _text in wording_texts())
    for part in ("QUESTIONS", "LEVEL_ADVICE", "SAFETY_NET", "URGENT_SAFETY_NET", "reason E1"):
        assert part in names
    assert len(wording_texts()) > 300


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("FLAGGED", frozenset({"yes"})),
        ("ENDING_LEVELS", frozenset({triage.Level.EMERGENCY})),
        ("FLEXIBILITY_LEVELS", frozenset({triage.Level.SELF_CARE})),
    ],
)
def test_a_decision_change_changes_the_ruleset_fingerprint(monkeypatch, name, value):
    before = ruleset_fingerprint()
    monkeypatch.setattr(triage, name, value)

    assert ruleset_fingerprint() != before


def test_a_rule_level_change_changes_the_ruleset_fingerprint(monkeypatch):
    before = ruleset_fingerprint()
    rule = triage.RULESET[0]
    lowered = type(rule)(rule.id, triage.Level.URGENT, rule.condition, rule.reason)
    monkeypatch.setattr(triage, "RULESET", (lowered, *triage.RULESET[1:]))

    assert ruleset_fingerprint() != before


def test_a_wording_change_changes_the_wording_fingerprint(monkeypatch):
    before = wording_fingerprint()
    monkeypatch.setattr(questions, "DISCLAIMER", questions.DISCLAIMER + " ")

    assert wording_fingerprint() != before
