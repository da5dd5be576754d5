"""Reading-age measurement for patient-facing pages (Flesch-Kincaid grade, via textstat).

A page is split into blocks (paragraphs, list items, headings, labels, table cells, buttons):
each block is a sentence unless it holds several, so a list item with no full stop does not
run into the next one and count as one long sentence.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import textstat

BLOCK_TAGS = frozenset(
    {
        "p",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "legend",
        "label",
        "td",
        "th",
        "caption",
        "button",
        "a",
        "div",
        "summary",
        "dt",
        "dd",
    }
)
SKIP_TAGS = frozenset({"script", "style", "svg", "noscript"})
MAX_GRADE = 6.0
MAX_SENTENCE_WORDS = 25


class _BlockText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._current: list[str] = []
        self._skip = 0
        self._in_main = False

    def _flush(self) -> None:
        text = " ".join("".join(self._current).split())
        if text:
            self.blocks.append(text)
        self._current = []

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self._in_main = True
        if tag in SKIP_TAGS:
            self._skip += 1
        if tag in BLOCK_TAGS or tag == "br":
            self._flush()

    def handle_endtag(self, tag):
        if tag in SKIP_TAGS:
            self._skip -= 1
        if tag in BLOCK_TAGS:
            self._flush()
        if tag == "main":
            self._flush()
            self._in_main = False

    def handle_data(self, data):
        if self._in_main and not self._skip:
            self._current.append(data)


def main_blocks(html: str) -> list[str]:
    """The text blocks inside ``<main>``."""
    parser = _BlockText()
    parser.feed(html)
    parser.close()
    return parser.blocks


def sentences(blocks: list[str]) -> list[str]:
    found = []
    for block in blocks:
        # A full stop inside a number ("38.5") or "111.nhs.uk" does not end a sentence.
        for sentence in re.split(r"(?<=[.!?:])\s+(?=[A-Z0-9\"'(])", block):
            if sentence.strip():
                found.append(sentence.strip())
    return found


def as_prose(blocks: list[str]) -> str:
    """The blocks joined as sentences, each ending with a full stop."""
    return " ".join(s if s[-1] in ".!?" else f"{s}." for s in sentences(blocks))


def grade(html: str) -> float:
    return textstat.flesch_kincaid_grade(as_prose(main_blocks(html)))


def long_sentences(html: str) -> list[str]:
    return [s for s in sentences(main_blocks(html)) if len(s.split()) > MAX_SENTENCE_WORDS]
