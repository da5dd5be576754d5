"""The self-assessment in Chromium: an emergency path and a self-care path, checked with axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STEP1_CLEAR = {
    "e1": "no",
    "e2": "no",
    "e3": "no",
    "e4": "no",
    "e5": "no",
    "e6": "no",
    "e7": "none",
    "e8": "no",
    "e9": "no",
    "e10": "no",
}
STEP2_CLEAR = {f"u{n}": "no" for n in range(1, 12)} | {
    "first_episode": "no",
    "duration": "under_6_weeks",
}
STEP3_CLEAR = {"b1": "none", "b2": "no", "b3": "none", "b4": "not_tried", "b5": "no"}
STEP4_TIGHT = {
    "aket_left": "over_20",
    "aket_right": "over_20",
    "sit_reach": "touched_toes",
    "test_pain": "no",
}


def choose(page: Page, answers: dict[str, str]) -> None:
    for field, value in answers.items():
        page.locator(f"#q-{field}-{value}").check()


def continue_(page: Page) -> None:
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


def test_emergency_path(page: Page, assert_accessible):
    page.goto("/assessment/")
    expect(page.get_by_text("Step 1 of 4: Warning signs")).to_be_visible()
    assert page.locator("input:checked").count() == 0
    assert_accessible(page)

    # Only the first question answered: that is enough to end the questionnaire.
    page.locator("#q-e1-yes").check()
    continue_(page)

    main = page.locator("main")
    expect(main).to_have_attribute("data-triage-level", "EMERGENCY")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Call 999 or go to A&E now")
    # The emergency message is the first thing in <main>: nothing comes before it.
    first_text = main.evaluate("m => m.innerText.trim().split('\\n')[0]")
    assert first_text == "Call 999 or go to A&E now"
    first_block = main.evaluate(
        "m => m.querySelector('.container').firstElementChild.firstElementChild"
        ".firstElementChild.className"
    )
    assert "assessment-emergency" in first_block
    assert page.locator("a[href*='/book/'], a[href*='/api/']").count() == 0
    assert "Save 15%" not in page.content()
    expect(page.locator(".assessment-disclaimer")).to_contain_text("This is not a diagnosis")
    expect(page.locator(".assessment-disclaimer")).to_contain_text("NHS 111")
    assert_accessible(page)

    # A reload keeps the result.
    page.reload()
    expect(page.locator("main")).to_have_attribute("data-triage-level", "EMERGENCY")


def test_self_care_path_through_every_step(page: Page, assert_accessible):
    page.goto("/assessment/")
    assert_accessible(page)
    # Continuing with nothing answered shows clear errors, and the page stays accessible.
    continue_(page)
    expect(
        page.get_by_role("heading", name="Some answers are missing or need checking")
    ).to_be_visible()
    assert_accessible(page)
    choose(page, STEP1_CLEAR)
    continue_(page)

    expect(page.get_by_text("Step 2 of 4: About you and your health")).to_be_visible()
    assert_accessible(page)
    choose(page, STEP2_CLEAR)
    page.get_by_label("How old are you?").fill("34")
    continue_(page)

    expect(page.get_by_text("Step 3 of 4: About your pain")).to_be_visible()
    assert_accessible(page)
    # Back and forward keep the answers.
    page.get_by_role("link", name="Back to the previous step").click()
    expect(page.get_by_label("How old are you?")).to_have_value("34")
    expect(page.locator("#q-u1-no")).to_be_checked()
    continue_(page)
    choose(page, STEP3_CLEAR)
    page.get_by_label("How bad is your pain right now, from 0 to 10?").fill("4")
    continue_(page)

    expect(page.get_by_text("Step 4 of 4: Two flexibility tests at home")).to_be_visible()
    assert_accessible(page)
    choose(page, STEP4_TIGHT)
    continue_(page)

    expect(page.locator("main")).to_have_attribute("data-triage-level", "SELF_CARE")
    expect(page.get_by_role("heading", level=1)).to_have_text("Looking after your back at home")
    routine = page.get_by_role("table", name="Your daily routine")
    expect(routine).to_be_visible()
    expect(routine.get_by_role("columnheader")).to_have_text(
        ["Exercise", "What it works", "Hold", "How often"]
    )
    expect(routine.get_by_role("row")).to_have_count(7)
    for image in routine.locator("img").all():
        assert image.get_attribute("alt")
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    expect(page.get_by_role("link", name="Book an assessment and save 15%")).to_have_attribute(
        "href", "/book/?code=SAVE15"
    )
    assert_accessible(page)

    # Keeping the answers, with consent.
    page.get_by_label("Yes, you may keep my answers about my health for 365 days.").check()
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_role("heading", name="We have kept your answers")).to_be_visible()
    assert_accessible(page)
