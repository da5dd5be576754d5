"""A receptionist works the red-flag call-back queue at a desk (1366 px) and on a tablet (768 px):
name, phone and level on the page, the call recorded, no accessibility violations."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from assessments.models import CallOutcome, Submission
from assessments.services import ContactDetails, submission_create
from assessments.triage import evaluate
from clinic.roles import Role, roles_sync
from tests.assessments.conftest import STEP1_CLEAR, STEP2_CLEAR, STEP3_CLEAR, with_answers

from .test_diary import admin_login

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password"


@pytest.fixture(params=[(1366, 768), (768, 1024)], ids=["desk-1366", "tablet-768"])
def screen(request, browser, live_server, transactional_db):
    if browser is None:
        pytest.skip("no Chromium")
    from tests.conftest import AXE_PATH

    width, height = request.param
    context = browser.new_context(
        viewport={"width": width, "height": height}, base_url=live_server.url, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    context.add_init_script(path=str(AXE_PATH))
    page = context.new_page()
    yield page
    context.close()


def _all_violations(page) -> list:
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                             'wcag22aa']},
            resultTypes: ['violations'],
        })"""
    )
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
    ]


def test_receptionist_records_a_call_back(screen, django_user_model):
    roles_sync()
    receptionist = django_user_model.objects.create_user(
        username="desk", password=PASSWORD, is_staff=True
    )
    receptionist.groups.add(Group.objects.get(name=Role.RECEPTIONIST))
    answers = {**with_answers(STEP1_CLEAR, e7="one"), **STEP2_CLEAR, **STEP3_CLEAR}
    submission = submission_create(
        result=evaluate(answers, through_step=3),
        health_storage_consented=True,
        contact=ContactDetails(name="Sam Patient", phone="07700 900123"),
    )
    page = screen
    admin_login(page, receptionist, PASSWORD)
    page.goto("/admin/assessments/callback/?call=todo")
    row = page.locator("#result_list tr", has_text="Sam Patient")
    assert row.is_visible()
    assert "07700 900123" in row.inner_text()
    assert "To call" in row.inner_text()
    assert _all_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]

    row.get_by_role("link", name="Sam Patient").click()
    page.wait_for_url(re.compile(rf"/callback/{submission.pk}/change/"))
    assert page.get_by_text("07700 900123").first.is_visible()
    assert page.get_by_text("Urgent").first.is_visible()
    assert page.get_by_text("weak").count() == 0  # no answers for reception
    assert _all_violations(page) == []

    page.get_by_role("button", name="Record call").click()  # nothing chosen
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_role("alert")).to_be_focused()  # the error is announced and focused
    page.get_by_label("Spoke to the patient").check()
    page.get_by_label("Note (optional)").fill("Advised NHS 111 today")
    page.get_by_role("button", name="Record call").click()
    page.wait_for_url(re.compile(r"/admin/assessments/callback/\?call=todo$"))
    expect(page.get_by_text("Call to Sam Patient recorded.")).to_be_visible()
    assert _all_violations(page) == []
    submission.refresh_from_db()
    assert submission.call_outcome == CallOutcome.SPOKE
    assert Submission.objects.get(pk=submission.pk).called_by == receptionist
