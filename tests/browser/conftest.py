"""Chromium through Playwright against the live server, with an axe-core accessibility check."""

import io
import os
from datetime import timedelta

import pytest

from tests.conftest import AXE_PATH, CHROMIUM_PATH

# Playwright's sync API runs an event loop in this thread; the live server's database work
# happens in its own thread, so Django's async-safety guard does not apply to what we do here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM_PATH):
        yield None
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server, transactional_db):
    """A phone-sized page on the live server (patients are mostly on phones)."""
    if browser is None:
        pytest.skip("no Chromium")  # the service gate has already failed this under CI
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, base_url=live_server.url, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    # axe-core goes in through the DevTools protocol on every document, which the page's
    # Content Security Policy rightly does not cover (a <script> tag would be refused).
    context.add_init_script(path=str(AXE_PATH))
    page = context.new_page()
    # The Content Security Policy forbids inline script and style: the browser reports each
    # thing it refused on the console, and any such report fails the test.
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert refused == [], f"the Content Security Policy blocked something: {refused}"


def axe_violations(page) -> list[dict]:
    """Serious and critical WCAG 2.x A/AA violations axe-core finds on the current page."""
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                             'wcag22aa', 'best-practice']},
            resultTypes: ['violations'],
        })"""
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in SERIOUS
    ]


def axe_violations_all(page) -> list[dict]:
    """Every WCAG 2.x A/AA and best-practice violation axe-core finds, whatever its impact."""
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


@pytest.fixture
def assert_accessible():
    def check(page) -> None:
        violations = axe_violations(page)
        assert violations == [], f"axe found serious problems on {page.url}: {violations}"

    return check


@pytest.fixture
def demo_clinic(staff_user, settings):
    """The demo clinic (``seed_demo``), emails sent in-process; yields next week's Monday."""
    from django.utils import timezone

    from bookings import demo
    from clinic.celery import app as celery_app

    settings.RATELIMIT_ENABLE = False
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    demo.seed(staff_user=staff_user, stdout=io.StringIO())
    today = timezone.localdate()
    yield today + timedelta(days=7 - today.weekday())
    celery_app.conf.task_always_eager = previous
