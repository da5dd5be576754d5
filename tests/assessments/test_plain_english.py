"""Plain English, measured: every questionnaire page and every result reads at grade 6 or below.

The Flesch-Kincaid grade of the text in ``<main>`` comes from textstat (pinned, offline: it
counts syllables with Pyphen's bundled dictionaries), and no sentence may run over 25 words.
Grade 6 is a reading age of about 11, the top of the NHS's 9 to 11 target.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from .conftest import (
    STEP1_CLEAR,
    STEP2_CLEAR,
    STEP3_CLEAR,
    STEP4_TIGHT,
    answer_steps,
    step_url,
    with_answers,
)
from .plain_english import MAX_GRADE, MAX_SENTENCE_WORDS, grade, long_sentences, main_blocks

pytestmark = pytest.mark.django_db

INFLAMMATORY_STEP2 = with_answers(STEP2_CLEAR, duration="over_12_weeks")
INFLAMMATORY_STEP3 = with_answers(STEP3_CLEAR, i1="no", i2="no", i3="no", i4="no")

#: page name -> the steps answered before it (a result when the steps complete it)
QUESTION_PAGES = {
    "step 1": (),
    "step 2": (STEP1_CLEAR,),
    "step 3 with the inflammatory questions": (STEP1_CLEAR, INFLAMMATORY_STEP2),
    "step 4": (STEP1_CLEAR, STEP2_CLEAR, STEP3_CLEAR),
}
RESULT_PAGES = {
    "EMERGENCY (cauda equina signs)": (with_answers(STEP1_CLEAR, e1="yes", e2="yes", e7="both"),),
    "EMERGENCY (chest pain, sudden collapse)": (with_answers(STEP1_CLEAR, e8="yes", e10="yes"),),
    "URGENT": (STEP1_CLEAR, with_answers(STEP2_CLEAR, u1="yes", u9="yes", u10="yes", u11="yes")),
    "NOT_ASSESSED": (STEP1_CLEAR, with_answers(STEP2_CLEAR, age="14"), STEP3_CLEAR),
    "BOOK_ASSESSMENT (with the routine)": (
        STEP1_CLEAR,
        STEP2_CLEAR,
        with_answers(STEP3_CLEAR, b4="same", b5="yes"),
        with_answers(STEP4_TIGHT, sit_reach_cm="40"),
    ),
    "BOOK_ASSESSMENT (nerve sign)": (
        STEP1_CLEAR,
        INFLAMMATORY_STEP2,
        with_answers(INFLAMMATORY_STEP3, b2="yes", i1="yes", i2="yes"),
    ),
    "SELF_CARE": (STEP1_CLEAR, STEP2_CLEAR, STEP3_CLEAR, STEP4_TIGHT),
}


def _page(client, steps, *, result: bool) -> str:
    client.get(step_url(1))
    if result and len(steps) == 1:
        return client.post(step_url(1), steps[0]).content.decode()
    answer_steps(client, *steps)
    url = reverse("assessments:result") if result else step_url(len(steps) + 1)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def measured_pages(client) -> dict[str, str]:
    pages = {}
    for name, steps in QUESTION_PAGES.items():
        pages[name] = _page(client, steps, result=False)
        client.post(reverse("assessments:restart"))
    for name, steps in RESULT_PAGES.items():
        pages[name] = _page(client, steps, result=True)
        client.post(reverse("assessments:restart"))
    return pages


@pytest.mark.parametrize("name", [*QUESTION_PAGES, *RESULT_PAGES])
def test_each_page_reads_at_grade_6_or_below(client, name):
    steps = QUESTION_PAGES[name] if name in QUESTION_PAGES else RESULT_PAGES[name]
    page = _page(client, steps, result=name in RESULT_PAGES)

    assert len(main_blocks(page)) > 5  # the page's text was found
    assert grade(page) <= MAX_GRADE, f"{name}: grade {grade(page):.1f}"
    assert long_sentences(page) == [], f"{name}: sentences over {MAX_SENTENCE_WORDS} words"


def test_the_inflammatory_page_really_shows_those_questions(client):
    page = _page(client, QUESTION_PAGES["step 3 with the inflammatory questions"], result=False)
    assert 'name="i4"' in page


def test_the_measure_fails_hard_text():
    hard = (
        "<main><p>Notwithstanding the aforementioned considerations, radiculopathic "
        "manifestations necessitate comprehensive neurological investigation "
        "immediately.</p></main>"
    )
    assert grade(hard) > MAX_GRADE
    long_one = "<main><p>" + " ".join(["word"] * 26) + ".</p></main>"
    assert long_sentences(long_one)


def test_print_the_reading_grades(client, capsys):
    """The figures for the record: ``pytest tests/assessments/test_plain_english.py -s``."""
    pages = measured_pages(client)

    with capsys.disabled():
        for name, page in pages.items():
            print(f"\n{name}: Flesch-Kincaid grade {grade(page):.1f}")
    assert all(grade(page) <= MAX_GRADE for page in pages.values())
