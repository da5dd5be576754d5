"""Each triage level reached in Chromium on a phone-sized screen (390x844), every page
checked with axe-core: no violation of any impact."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STEP1 = {f"e{n}": "no" for n in range(1, 11)} | {"e7": "none"}
STEP2 = {f"u{n}": "no" for n in range(1, 12)} | {
    "first_episode": "no",
    "duration": "under_6_weeks",
}
STEP3 = {"b1": "none", "b2": "no", "b3": "none", "b4": "not_tried", "b5": "no"}
STEP4 = {"aket_left": "over_20", "aket_right": "within_20", "sit_reach": "short", "test_pain": "no"}

#: level -> (the answers of each step as (choices, age, pain score), the heading expected)
JOURNEYS = {
    "EMERGENCY": ([(STEP1 | {"e1": "not_sure"}, None, None)], "Call 999 or go to A&E now"),
    "URGENT": ([(STEP1, None, None), (STEP2 | {"u1": "yes"}, "40", None)], "Speak to a GP today"),
    "NOT_ASSESSED": (
        [(STEP1, None, None), (STEP2, "14", None), (STEP3, None, "3")],
        "This check is for people aged 16 and over",
    ),
    "BOOK_ASSESSMENT": (
        [(STEP1, None, None), (STEP2, "40", None), (STEP3 | {"b1": "below_knee"}, None, "5")],
        "Book an assessment in the next few days",
    ),
    "SELF_CARE": (
        [(STEP1, None, None), (STEP2, "40", None), (STEP3, None, "3"), (STEP4, None, None)],
        "Looking after your back at home",
    ),
}


def all_violations(page: Page) -> list[dict]:
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                             'wcag22aa', 'best-practice']},
            resultTypes: ['violations'],
        })"""
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def assert_no_violations(page: Page) -> None:
    assert all_violations(page) == [], page.url


def answer(page: Page, choices: dict[str, str], age: str | None, pain: str | None) -> None:
    for field, value in choices.items():
        page.locator(f"#q-{field}-{value}").check()
    if age is not None:
        page.locator("#q-age").fill(age)
    if pain is not None:
        page.locator("#q-pain_score").fill(pain)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("level", list(JOURNEYS))
def test_each_level_on_a_phone(page: Page, level: str):
    steps, heading = JOURNEYS[level]
    page.goto("/assessment/")

    for number, (choices, age, pain) in enumerate(steps, start=1):
        expect(page.get_by_text(f"Step {number} of 4")).to_be_visible()
        assert page.locator("input:checked").count() == 0 or number > 1
        assert page.locator(".offer-banner, .nav-book, a[href*='/book/']").count() == 0
        assert_no_violations(page)
        answer(page, choices, age, pain)

    main = page.locator("main")
    expect(main).to_have_attribute("data-triage-level", level)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.get_by_role("link", name="Report a problem with this tool")).to_have_attribute(
        "href", "/contact/?topic=assessment-tool"
    )
    expect(page.locator(".assessment-disclaimer")).to_contain_text("This is not a diagnosis")
    if level in {"EMERGENCY", "URGENT", "NOT_ASSESSED"}:
        assert page.locator(".offer-banner, .nav-book, a[href*='/book/']").count() == 0
    else:
        expect(page.locator("main a[href='/book/?code=SAVE15']")).to_have_count(1)
    if level == "EMERGENCY":
        first_line = main.evaluate("m => m.innerText.trim().split('\\n')[0]")
        assert first_line == heading
        expect(main).to_contain_text("Do not drive yourself")
        expect(main).to_contain_text("I am worried about cauda equina syndrome")
        assert page.locator("[data-safety-tier]").count() == 0
    else:
        expect(
            page.get_by_role("heading", name="Call 999 now if you get any of these:")
        ).to_be_visible()
        expect(
            page.get_by_role(
                "heading", name="Speak to a GP or NHS 111 today if you get any of these:"
            )
        ).to_be_visible()
    shows_routine = level == "SELF_CARE"
    expect(page.get_by_role("heading", name="Stretches and exercises")).to_have_count(
        1 if shows_routine else 0
    )
    if level == "BOOK_ASSESSMENT":
        expect(main).to_contain_text("Leave the hamstring stretches for now")
    assert_no_violations(page)


def test_errors_are_announced_and_focused_on_a_phone(page: Page):
    page.goto("/assessment/")
    page.locator("#q-e1-no").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()

    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert page.title().startswith("Error:")
    expect(summary.get_by_role("link").first).to_contain_text("Please answer this question.")
    assert_no_violations(page)


def test_the_reach_field_takes_a_minus_number_on_a_phone(page: Page):
    page.goto("/assessment/")
    answer(page, STEP1, None, None)
    answer(page, STEP2, "40", None)
    answer(page, STEP3, None, "3")

    reach = page.locator("#q-sit_reach_cm")
    reach.fill("-10")
    expect(reach).to_have_value("-10")
    assert reach.get_attribute("type") == "number"
    for field, value in (STEP4 | {"sit_reach": "short"}).items():
        page.locator(f"#q-{field}-{value}").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()

    expect(page.locator("main")).to_contain_text("You stopped 10 cm short of your toes.")
    assert_no_violations(page)
