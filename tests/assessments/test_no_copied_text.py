"""No patient-facing sentence is copied from the reference material in ``../shared/reference/``.

Facts may be used; the words must be the project's own. A run of 8 or more words in common
with any reference file fails, in the questionnaire and advice data, in every template and in
the demo articles.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from django.utils.functional import Promise
from django.utils.html import strip_tags

from assessments import questions
from assessments.triage import RULESET

ROOT = Path(__file__).resolve().parents[2]
REFERENCE_DIR = ROOT.parent / "shared" / "reference"
RUN = 8

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text.translate(_QUOTES).lower())


def runs(text: str, length: int = RUN) -> set[tuple[str, ...]]:
    found = words(text)
    return {tuple(found[i : i + length]) for i in range(len(found) - length + 1)}


def strip_template(source: str) -> str:
    """The words a template can show: tags, template tags and comments removed."""
    source = re.sub(r"{#.*?#}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", " ", source, flags=re.S)
    source = re.sub(r"{%.*?%}|{{.*?}}", " ", source, flags=re.S)
    return re.sub(r"<[^>]+>", " ", source)


def _promises(value: object) -> Iterator[Promise]:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _promises(getattr(value, field.name))
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _promises(item)
    elif isinstance(value, tuple):
        for item in value:
            yield from _promises(item)
    elif isinstance(value, Promise):
        yield value


def questionnaire_texts() -> Iterator[tuple[str, str]]:
    for name in dir(questions):
        if name.isupper():
            for text in _promises(getattr(questions, name)):
                yield f"assessments.questions.{name}", str(text)
    for rule in RULESET:
        yield f"rule {rule.id}", str(rule.reason)


def template_texts() -> Iterator[tuple[str, str]]:
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.suffix in {".html", ".txt"}:
            yield str(path.relative_to(ROOT)), strip_template(path.read_text())


def _strings(value) -> Iterator[str]:
    """Every string in a demo article's block data (StreamField values nest dicts and lists)."""
    if isinstance(value, str):
        yield strip_tags(value)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def demo_article_texts() -> Iterator[tuple[str, str]]:
    from articles import demo_content

    for article in demo_content.DEMO_ARTICLES:
        for key in ("title", "summary", "body"):
            for text in _strings(article.get(key, "")):
                yield f"articles demo {article['slug']} {key}", text


@pytest.fixture(scope="module")
def reference_runs() -> dict[tuple[str, ...], str]:
    files = sorted(REFERENCE_DIR.glob("*"))
    assert files, f"no reference files in {REFERENCE_DIR}"
    found: dict[tuple[str, ...], str] = {}
    for path in files:
        for run in runs(path.read_text(errors="replace")):
            found.setdefault(run, path.name)
    return found


def copied(texts: Iterator[tuple[str, str]], reference: Mapping) -> list[str]:
    return sorted(
        {
            f"{where}: '{' '.join(run)}' (in {reference[run]})"
            for where, text in texts
            for run in runs(text)
            if run in reference
        }
    )


def test_the_check_finds_a_copied_sentence(reference_runs):
    sample = next(iter(reference_runs))
    assert copied(iter([("sample", " ".join(sample))]), reference_runs)
    assert not copied(
        iter([("own words", "Lie on your back and bend both knees.")]), reference_runs
    )


def test_the_questionnaire_and_advice_are_in_our_own_words(reference_runs):
    assert copied(questionnaire_texts(), reference_runs) == []


def test_the_templates_are_in_our_own_words(reference_runs):
    assert copied(template_texts(), reference_runs) == []


def test_the_demo_articles_are_in_our_own_words(reference_runs):
    assert copied(demo_article_texts(), reference_runs) == []
