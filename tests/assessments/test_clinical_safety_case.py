"""The clinical safety case exists and every test its hazard log names exists.

A control is only as good as the test that proves it: renaming or deleting a test named in
``docs/clinical-safety/hazard-log.md`` fails here until the hazard log is updated.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAFETY_DIR = ROOT / "docs" / "clinical-safety"
HAZARD_LOG = SAFETY_DIR / "hazard-log.md"
NODE_ID = re.compile(r"`(tests/[\w/]+\.py::\w+(?:\[[^\]`]+\])?)`")


def hazards() -> list[str]:
    return re.split(r"\n(?=## H\d+\. )", HAZARD_LOG.read_text())[1:]


def named_tests() -> set[str]:
    return set(NODE_ID.findall(HAZARD_LOG.read_text()))


@pytest.fixture(scope="module")
def collected() -> set[str]:
    files = sorted({node.split("::")[0] for node in named_tests()})
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:randomly", *files],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    ids = {line.strip() for line in result.stdout.splitlines() if "::" in line}
    assert ids, result.stdout + result.stderr
    return ids


def test_the_safety_case_documents_exist():
    for name in (
        "hazard-log.md",
        "clinical-risk-management-plan.md",
        "safety-case-report.md",
        "medical-device-note.md",
    ):
        assert (SAFETY_DIR / name).read_text().strip(), name


def test_every_hazard_states_what_dcb0129_asks_for():
    assert len(hazards()) >= 10
    for hazard in hazards():
        title = hazard.splitlines()[0]
        for part in (
            "**Causes:**",
            "**Effect:**",
            "**Possible harm:**",
            "**Initial risk:**",
            "**Controls and the tests that prove them:**",
            "**Residual risk:**",
        ):
            assert part in hazard, f"{title}: no {part}"
        assert NODE_ID.search(hazard), f"{title}: no test proves its controls"


def test_the_sign_off_is_left_for_the_clinical_safety_officer():
    report = (SAFETY_DIR / "safety-case-report.md").read_text()
    assert "| Clinical Safety Officer (name) | |" in report
    assert "| Signature | |" in report


def test_every_test_named_in_the_hazard_log_exists(collected):
    missing = sorted(
        node
        for node in named_tests()
        if node not in collected and not any(c.startswith(f"{node}[") for c in collected)
    )
    assert missing == []


def test_the_check_notices_a_missing_test(collected):
    assert "tests/assessments/test_triage.py::test_there_is_no_such_test" not in collected
    assert "tests/assessments/test_triage.py::test_rule_ids_are_unique" in collected
