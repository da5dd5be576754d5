"""A patient arrives from search: home, the articles, one article, and its calls to action."""

import re

import pytest
from django.urls import reverse

from tests.articles.factories import ArticleFactory, TagFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def articles():
    tag = TagFactory(name="Hamstrings", slug="hamstrings")
    main = ArticleFactory(
        title="Lower back pain and tight hamstrings",
        slug="lower-back-pain-and-tight-hamstrings",
        body="## Why it happens\n\nTight hamstrings tilt the pelvis.\n\n- Sit less\n- Stretch\n",
        tags=[tag],
        reviewed_by="A. Clinician, MCSP",
        reviewed_on="2026-11-01",
    )
    ArticleFactory(title="Desk posture basics", tags=[tag])
    return main


def test_home_to_article_to_booking_offer(page, articles, assert_accessible):
    page.goto("/")
    assert page.locator("h1").count() == 1
    assert_accessible(page)

    page.get_by_role("link", name="Read our plain-English articles").click()
    page.wait_for_url(re.compile(r"/articles/$"))
    assert_accessible(page)

    page.get_by_role("link", name="Lower back pain and tight hamstrings").first.click()
    page.wait_for_url(re.compile(articles.slug))
    assert page.locator("h1").inner_text() == "Lower back pain and tight hamstrings"
    assert "Clinically reviewed by A. Clinician" in page.content()
    assert_accessible(page)

    assert page.get_by_role("link", name="Start the self-assessment").is_visible()
    page.get_by_role("link", name="Book and save 15%").click()
    page.wait_for_url(re.compile(r"/book/\?code=SAVE15"))


def test_search_tag_and_privacy_pages_are_accessible(page, articles, assert_accessible):
    page.goto(reverse("articles:list") + "?q=hamstrings")
    assert page.get_by_role("status").first.is_visible()
    assert_accessible(page)
    page.goto(reverse("articles:tag", args=["hamstrings"]))
    assert_accessible(page)
    for url in (reverse("privacy"), "/no-such-page/"):
        page.goto(url)
        assert_accessible(page)


def test_skip_link_moves_focus_to_main_content(page, articles):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("el => el === document.activeElement")
    skip.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_menu_opens_on_a_phone(page, articles):
    page.goto("/")
    toggle = page.get_by_role("button", name="Show or hide the menu")
    toggle.click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Contact").click()
    page.wait_for_url(re.compile(r"/contact/$"))
