"""The questionnaire through the test client: steps, early emergency exit, results, bad input."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from assessments.journey import SESSION_KEY
from assessments.models import Submission
from assessments.questions import QUESTIONS_BY_FIELD, questions_for_step

from .conftest import (
    CLEAR_STEPS,
    STEP1_CLEAR,
    STEP2_CLEAR,
    STEP3_CLEAR,
    STEP4_TIGHT,
    answer_steps,
    step_url,
    with_answers,
)

pytestmark = pytest.mark.django_db

E_FLAGS = ["e1", "e2", "e3", "e4", "e5", "e6", "e8", "e9"]
RESULT_URL = "/assessment/result/"


def html(response) -> str:
    return response.content.decode()


def main_html(response) -> str:
    match = re.search(r"<main\b.*?</main>", html(response), re.S)
    assert match, "no <main> element"
    return match.group(0)


def assert_disclaimer(response) -> None:
    page = html(response)
    assert "This is not a diagnosis" in page
    assert "NHS 111" in page


def assert_no_booking(response) -> None:
    page = html(response)
    assert "/book/" not in page
    assert "/api/" not in page
    assert "Save 15%" not in page
    assert "SAVE15" not in page
    assert "Book " not in main_html(response)


def triage_level(response) -> str:
    match = re.search(r'<main\b[^>]*data-triage-level="([A-Z_]+)"', html(response))
    assert match, "no data-triage-level on <main>"
    return match.group(1)


# --- Step 1 and the early emergency exit ------------------------------------------------------


def test_step_one_asks_only_the_warning_sign_questions_with_nothing_ticked(client):
    response = client.get(reverse("assessments:start"))

    assert response.status_code == 200
    page = html(response)
    for question in questions_for_step(1):
        assert f'name="{question.field}"' in page
    assert 'name="u1"' not in page
    assert "checked" not in page
    assert "Step 1 of 4" in page
    assert 'aria-current="step"' in page
    assert "<fieldset" in page
    assert "<legend" in page
    assert_disclaimer(response)


def test_posting_only_e1_yes_shows_the_emergency_result_at_once(client):
    # A first visit straight to a post (no session cookie yet): the result comes in this very
    # response, so no redirect can lose it.
    response = client.post(reverse("assessments:start"), {"e1": "yes"})

    assert response.status_code == 200
    assert triage_level(response) == "EMERGENCY"
    assert "Call 999 or go to A&amp;E now" in html(response)
    assert 'name="u1"' not in html(response)
    assert_no_booking(response)
    # A reload of the result page shows the same result from the session.
    reloaded = client.get(RESULT_URL)
    assert triage_level(reloaded) == "EMERGENCY"


def test_with_a_session_the_emergency_exit_shows_the_result_and_keeps_it(client):
    client.get(reverse("assessments:start"))

    response = client.post(reverse("assessments:start"), {"e1": "yes"})

    # Rendered from the post itself: no redirect, so no second request can fail.
    assert response.status_code == 200
    assert triage_level(response) == "EMERGENCY"
    assert triage_level(client.get(RESULT_URL)) == "EMERGENCY"  # survives a reload


@pytest.mark.parametrize("value", ["yes", "not_sure"])
@pytest.mark.parametrize("field", E_FLAGS)
def test_each_emergency_question_yes_or_not_sure_ends_the_questionnaire(client, field, value):
    client.get(reverse("assessments:start"))

    response = client.post(
        reverse("assessments:start"), with_answers(STEP1_CLEAR, **{field: value}), follow=True
    )

    assert response.redirect_chain == []
    assert triage_level(response) == "EMERGENCY"
    assert_no_booking(response)


def test_weakness_in_both_legs_is_an_emergency(client):
    response = client.post(
        reverse("assessments:start"), with_answers(STEP1_CLEAR, e7="both"), follow=True
    )
    assert triage_level(response) == "EMERGENCY"


def test_not_sure_alone_is_enough_for_the_emergency_exit(client):
    response = client.post(reverse("assessments:start"), {"e4": "not_sure"}, follow=True)
    assert triage_level(response) == "EMERGENCY"
    assert "may have" in html(response)


def test_emergency_page_puts_999_first_and_has_no_booking_anywhere(client):
    response = client.post(reverse("assessments:start"), {"e3": "yes"}, follow=True)

    main = main_html(response)
    text_start = re.sub(r"<[^>]+>", " ", main).split()
    assert " ".join(text_start[:7]) == "Call 999 or go to A&amp;E now"
    assert "Do not drive yourself" in main
    assert "Show this page to the people who see you" in main
    assert "I am worried about cauda equina syndrome" in main
    assert "Phone" in main and "999" in main
    assert main.index("999") < main.index("Why we are saying this")
    assert "leaking pee" in main  # the reason
    assert_no_booking(response)
    assert "nav-book" not in html(response)
    assert "offer-banner" not in html(response)
    assert_disclaimer(response)


def test_emergency_page_shows_no_stretches_or_tests(client):
    response = client.post(reverse("assessments:start"), {"e9": "yes"}, follow=True)
    page = html(response)
    assert "Stretches and exercises" not in page
    assert "flexibility tests" not in page.lower()
    assert "<table" not in page


def test_emergency_page_hides_leftover_site_messages_above_it(rf):
    from django.contrib import messages
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore

    from assessments import views
    from assessments.journey import Progress
    from assessments.triage import evaluate

    request = rf.get(RESULT_URL)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    messages.info(request, "Book now and save")
    progress = Progress(answers={"e1": "yes"}, through_step=1)

    response = views._render_result(request, progress, evaluate(progress.answers, through_step=1))

    assert "Book now and save" not in response.content.decode()


# --- Later steps ------------------------------------------------------------------------------


def test_clear_step_one_moves_on_to_step_two(client):
    response = client.post(reverse("assessments:start"), STEP1_CLEAR)

    assert response.status_code == 302
    assert response["Location"] == step_url(2)
    page = client.get(step_url(2))
    assert page.status_code == 200
    assert "Step 2 of 4" in html(page)
    assert 'name="age"' in html(page)
    assert "checked" not in html(page)
    assert_disclaimer(page)


@pytest.mark.parametrize("number", [2, 3, 4])
def test_later_steps_cannot_be_skipped_to(client, number):
    response = client.get(step_url(number))
    assert response.status_code == 302
    assert response["Location"] == step_url(1)


def test_step_three_and_four_need_the_earlier_steps(client):
    answer_steps(client, STEP1_CLEAR)
    assert client.get(step_url(3))["Location"] == step_url(2)
    assert client.get(step_url(4))["Location"] == step_url(2)


@pytest.mark.parametrize("path", ["/assessment/step/1/", "/assessment/step/9/"])
def test_unknown_step_numbers_redirect(client, path):
    response = client.get(path)
    assert response.status_code == 302


def test_every_page_on_the_way_says_not_a_diagnosis_and_111(client):
    for number, answers in enumerate(CLEAR_STEPS, start=1):
        page = client.get(step_url(number))
        assert page.status_code == 200
        assert f"Step {number} of 4" in html(page)
        assert_disclaimer(page)
        client.post(step_url(number), answers)
    assert_disclaimer(client.get(RESULT_URL))


def test_step_four_shows_the_home_tests_with_illustrations(client):
    answer_steps(client, STEP1_CLEAR, STEP2_CLEAR, STEP3_CLEAR)
    page = html(client.get(step_url(4)))
    assert "img/exercises/test-90-90.svg" in page
    assert "img/exercises/test-sit-reach.svg" in page
    assert page.count("How to do the 90/90 hamstring test") == 1  # once for both legs
    assert re.search(r'<img [^>]*alt="[^"]{10,}"', page)
    assert "(optional)" in page  # sit_reach_cm


def test_an_urgent_answer_on_step_two_ends_at_the_urgent_result(client):
    response = answer_steps(client, STEP1_CLEAR, with_answers(STEP2_CLEAR, u2="yes"))

    assert response["Location"] == RESULT_URL
    assert client.get(step_url(3))["Location"] == RESULT_URL
    assert client.get(step_url(4))["Location"] == RESULT_URL
    result = client.get(RESULT_URL)
    assert triage_level(result) == "URGENT"
    page = html(result)
    assert "Speak to a GP today" in page
    assert "NHS 111" in page
    assert "had cancer" in page
    words = re.sub(r"<[^>]+>", " ", main_html(result))  # text only, not tokens in attributes
    assert not re.search(r"\b(24|48)\b", words)
    assert "Stretches and exercises" not in page
    assert "<table" not in page
    assert "Call 999 now if you get any of these" in page
    assert "Speak to a GP or NHS 111 today if you get any of these" in page
    assert_no_booking(result)


@pytest.mark.parametrize("value", ["one", "not_sure"])
def test_one_weak_leg_on_step_one_ends_at_the_urgent_result(client, value):
    client.get(step_url(1))
    response = answer_steps(client, with_answers(STEP1_CLEAR, e7=value))
    assert response["Location"] == RESULT_URL
    result = client.get(RESULT_URL)
    assert triage_level(result) == "URGENT"
    assert "a leg is, or may be, weak" in html(result)
    assert_no_booking(result)


def test_under_16_is_not_assessed(client, result_page):
    response = result_page(STEP1_CLEAR, with_answers(STEP2_CLEAR, age="15"), STEP3_CLEAR)

    assert triage_level(response) == "NOT_ASSESSED"
    page = html(response)
    assert "aged 16 and over" in page
    assert "see your GP or call NHS 111" in page
    assert "Call 999 now if you get any of these" in page  # the safety net
    assert "Speak to a GP or NHS 111 today if you get any of these" in page
    assert "Stretches and exercises" not in page
    assert_no_booking(response)


def test_self_care_shows_tests_explained_the_routine_table_and_booking(client, result_page):
    response = result_page(*CLEAR_STEPS)

    assert triage_level(response) == "SELF_CARE"
    page = html(response)
    assert "Looking after your back at home" in page
    assert "None of your answers matched the warning signs" in page
    assert "Call 999 now if you get any of these" in page
    assert "Speak to a GP or NHS 111 today if you get any of these" in page
    # The flexibility results, explained.
    assert "90/90 hamstring test, left leg" in page
    assert "Tight" in page and "Healthy range" in page and "Reduced" in page
    assert "You stopped 6 cm short of your toes." in page
    assert "2 to 4 weeks" in page
    # The routine as a real table with the columns the spec asks for.
    routine = re.search(r'<table class="[^"]*assessment-routine.*?</table>', page, re.S).group(0)
    for heading in ("Exercise", "What it works", "Hold", "How often"):
        assert f'<th scope="col">{heading}</th>' in routine
    for name in ("Standing hamstring stretch", "Seated towel stretch", "Lying strap stretch"):
        assert name in routine
    assert "20 to 30 seconds" in routine
    assert "2 to 3 times on each side, every day" in routine
    assert routine.count("<img ") == 6
    assert "img/exercises/bridge.svg" in routine
    assert not re.search(r'<img (?![^>]*alt="[^"]+")', routine)
    # The booking hand-over with the code filled in.
    assert "/book/?code=SAVE15" in page
    assert_disclaimer(response)


def test_book_assessment_offers_booking_with_the_code(client, result_page):
    response = result_page(
        STEP1_CLEAR, STEP2_CLEAR, with_answers(STEP3_CLEAR, b5="yes"), STEP4_TIGHT
    )

    assert triage_level(response) == "BOOK_ASSESSMENT"
    page = html(response)
    assert "Book an assessment in the next few days" in page
    assert "hard to cope with" in page
    assert 'href="/book/?code=SAVE15"' in page
    assert "Stretches and exercises" in page
    assert "Call 999 now if you get any of these" in page
    assert "Speak to a GP or NHS 111 today if you get any of these" in page


def test_a_nerve_sign_ends_before_the_tests_and_holds_the_stretches(client):
    response = answer_steps(
        client, STEP1_CLEAR, STEP2_CLEAR, with_answers(STEP3_CLEAR, b1="below_knee")
    )

    assert response["Location"] == RESULT_URL
    result = client.get(RESULT_URL)
    assert triage_level(result) == "BOOK_ASSESSMENT"
    page = html(result)
    assert "below the knee" in page
    assert "Leave the hamstring stretches for now" in page
    assert "Stretches and exercises" not in page
    assert 'href="/book/?code=SAVE15"' in page


def test_pain_during_a_test_raises_self_care_to_book_assessment(client, result_page):
    response = result_page(
        STEP1_CLEAR, STEP2_CLEAR, STEP3_CLEAR, with_answers(STEP4_TIGHT, test_pain="yes")
    )
    assert triage_level(response) == "BOOK_ASSESSMENT"
    assert "a test gave you pain, tingling or numbness" in html(response)
    assert "Stretches and exercises" not in html(response)
    assert "Leave the hamstring stretches for now" in html(response)


def test_the_result_page_links_the_print_stylesheet_and_marks_extras_no_print(result_page):
    page = html(result_page(*CLEAR_STEPS))
    assert 'href="/static/css/print.css" media="print"' in page
    assert re.search(r'class="[^"]*assessment-booking[^"]*no-print', page)
    assert re.search(r'class="[^"]*assessment-save[^"]*no-print', page)


def test_result_without_answers_goes_back_to_the_start(client):
    response = client.get(RESULT_URL)
    assert response.status_code == 302
    assert response["Location"] == step_url(1)


def test_result_before_the_last_step_sends_the_patient_on(client):
    answer_steps(client, STEP1_CLEAR, STEP2_CLEAR)
    assert client.get(RESULT_URL)["Location"] == step_url(3)


def test_pages_are_never_cached(client):
    assert "no-store" in client.get(step_url(1))["Cache-Control"]
    client.post(step_url(1), {"e1": "yes"})
    assert "no-store" in client.get(RESULT_URL)["Cache-Control"]


def test_no_answer_ever_appears_in_a_url(client):
    client.get(step_url(1))
    locations = []
    for number, answers in enumerate(CLEAR_STEPS, start=1):
        locations.append(client.post(step_url(number), answers)["Location"])
    assert locations == [step_url(2), step_url(3), step_url(4), RESULT_URL]


# --- Going back and forward -------------------------------------------------------------------


def test_going_back_shows_the_answers_given(client):
    answer_steps(client, STEP1_CLEAR, STEP2_CLEAR)

    step_one = html(client.get(step_url(1)))
    step_two = html(client.get(step_url(2)))

    assert re.search(r'name="e7" id="q-e7-none" value="none" checked', step_one)
    assert step_one.count("checked") == len(STEP1_CLEAR)
    assert 'name="age" value="35"' in step_two
    assert 'href="/assessment/"' in step_two  # the back link


def test_answering_an_earlier_step_again_keeps_the_later_answers_for_later(client):
    answer_steps(client, STEP1_CLEAR, STEP2_CLEAR, STEP3_CLEAR)

    response = client.post(step_url(1), STEP1_CLEAR)

    assert response["Location"] == step_url(2)  # forward again, step by step
    assert 'name="age" value="35"' in html(client.get(step_url(2)))
    assert client.get(step_url(3))["Location"] == step_url(2)
    client.post(step_url(2), STEP2_CLEAR)
    assert 'id="q-pain_score" name="pain_score" value="3"' in html(client.get(step_url(3)))


def test_a_changed_earlier_answer_changes_the_result(client):
    answer_steps(client, *CLEAR_STEPS)
    assert triage_level(client.get(RESULT_URL)) == "SELF_CARE"

    client.post(step_url(1), with_answers(STEP1_CLEAR, e6="yes"))

    assert triage_level(client.get(RESULT_URL)) == "EMERGENCY"
    assert client.get(step_url(2))["Location"] == RESULT_URL


def test_restart_forgets_the_answers(client):
    answer_steps(client, STEP1_CLEAR, STEP2_CLEAR)

    response = client.post(reverse("assessments:restart"))

    assert response["Location"] == step_url(1)
    assert SESSION_KEY not in client.session
    assert "checked" not in html(client.get(step_url(1)))


# --- Bad input --------------------------------------------------------------------------------


def test_an_empty_step_one_asks_for_every_answer_and_never_reads_no(client):
    response = client.post(step_url(1), {})

    assert response.status_code == 200
    page = html(response)
    assert page.count("Please answer this question.") == 2 * 10  # summary and question
    assert "Some answers are missing or need checking" in page
    assert 'role="alert"' in page and "data-focus-on-load" in page
    assert "<title>Error:" in page
    assert SESSION_KEY not in client.session
    assert Submission.objects.count() == 0


def test_step_one_missing_answers_without_an_emergency_are_errors(client):
    answers = dict(STEP1_CLEAR)
    del answers["e5"]
    answers["e7"] = "one"  # urgent, not an emergency: the page must be finished first

    response = client.post(step_url(1), answers)

    assert response.status_code == 200
    assert "Please answer this question." in html(response)
    assert 'href="#q-e5-yes"' in html(response)
    # What was answered is kept on the page.
    assert re.search(r'value="one" checked', html(response))


@pytest.mark.parametrize(
    ("field", "value"),
    [("e1", "maybe"), ("e7", "yes"), ("e2", "YES!"), ("e9", "<script>")],
)
def test_unknown_values_on_step_one_are_errors(client, field, value):
    response = client.post(step_url(1), with_answers(STEP1_CLEAR, **{field: value}))

    assert response.status_code == 200
    assert "Please choose one of the answers given." in html(response)
    assert "<script>" not in html(response)
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize("age", ["-1", "200", "abc", "12.5", "", "1e3", "9" * 5000])
def test_bad_ages_are_clear_errors(client, age):
    answer_steps(client, STEP1_CLEAR)

    response = client.post(step_url(2), with_answers(STEP2_CLEAR, age=age))

    assert response.status_code == 200
    page = html(response)
    assert (
        "Please enter a whole number from 0 to 120." in page
        or "Please answer this question." in page
        or "at most 200 characters" in page
    )
    assert client.session[SESSION_KEY]["through_step"] == 1
    assert Submission.objects.count() == 0


@pytest.mark.parametrize("pain", ["x", "11", "-1", "7.5"])
def test_bad_pain_scores_are_clear_errors(client, pain):
    answer_steps(client, STEP1_CLEAR, STEP2_CLEAR)

    response = client.post(step_url(3), with_answers(STEP3_CLEAR, pain_score=pain))

    assert response.status_code == 200
    assert "Please enter a whole number from 0 to 10." in html(response)


@pytest.mark.parametrize("reach", ["x", "51", "-51"])
def test_bad_optional_reach_is_an_error_but_empty_is_fine(client, reach):
    answer_steps(client, STEP1_CLEAR, STEP2_CLEAR, STEP3_CLEAR)

    bad = client.post(step_url(4), with_answers(STEP4_TIGHT, sit_reach_cm=reach))
    assert bad.status_code == 200
    assert "Please enter a whole number from -50 to 50." in html(bad)

    good = client.post(step_url(4), with_answers(STEP4_TIGHT, sit_reach_cm=""))
    assert good["Location"] == RESULT_URL


def test_missing_flexibility_answers_are_errors(client):
    answer_steps(client, STEP1_CLEAR, STEP2_CLEAR, STEP3_CLEAR)
    response = client.post(step_url(4), {"aket_left": "over_20"})
    assert response.status_code == 200
    assert html(response).count("Please answer this question.") == 2 * 3


def test_a_list_of_values_or_odd_encodings_never_breaks_a_step(client):
    response = client.post(
        step_url(1), "e1=no&e1=yes&e2=%FF&e3=\x00", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in {200, 302}


def test_every_question_has_a_labelled_control(client):
    answer_steps(client, STEP1_CLEAR, STEP2_CLEAR, STEP3_CLEAR)
    page = html(client.get(step_url(4)))
    for question in questions_for_step(4):
        assert str(QUESTIONS_BY_FIELD[question.field].text).replace("'", "&#x27;") in page


@pytest.mark.parametrize("junk", ["x" * 201, "\x00", "banana"])
def test_an_emergency_answer_wins_over_a_malformed_answer_on_the_same_page(client, junk):
    response = client.post(step_url(1), {"e1": "yes", "e2": junk})
    if response.status_code == 302:
        response = client.get(response["Location"])
    assert 'data-triage-level="EMERGENCY"' in html(response)


def test_two_answers_to_one_question_are_never_read_as_the_reassuring_one(client):
    response = client.post(
        step_url(1), "e1=yes&e1=no", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert 'data-triage-level="SELF_CARE"' not in html(response)
    assert "Please choose one answer." in html(response)


def test_two_answers_do_not_hide_an_emergency_elsewhere_on_the_page(client):
    response = client.post(
        step_url(1), "e1=no&e1=yes&e4=yes", content_type="application/x-www-form-urlencoded"
    )
    if response.status_code == 302:
        response = client.get(response["Location"])
    assert 'data-triage-level="EMERGENCY"' in html(response)
