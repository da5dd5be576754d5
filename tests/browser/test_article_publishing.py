"""A clinic manager writes an article in Wagtail, a practitioner signs it off, patients read it.

The whole publishing journey in Chromium: an article with a picture, a table and a red-flag
list is written and scheduled, sent to clinical review, approved by a practitioner, goes live
at its time, and a phone downloads a small hero picture; a later edit stays private until it
is approved; a revert brings the earlier text back. axe checks the Wagtail screens used.
"""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from wagtail.images import get_image_model

from articles.models import ArticlePage
from articles.services import article_index_ensure
from articles.tasks import articles_publish_scheduled
from clinic.roles import Role
from tests.articles.test_images import jpeg_with_gps
from tests.browser.conftest import axe_violations
from tests.browser.test_diary import PASSWORD, admin_login
from tests.conftest import AXE_PATH

pytestmark = pytest.mark.browser

HERO_LIMIT = 60 * 1024


@pytest.fixture
def staff_page(browser, live_server, transactional_db):
    """Desktop pages for staff, one browser each, with axe-core injected into every document."""
    if browser is None:
        pytest.skip("no Chromium")
    contexts = []

    def open_page():
        context = browser.new_context(
            viewport={"width": 1400, "height": 1000}, base_url=live_server.url, locale="en-GB"
        )
        context.set_default_timeout(15_000)
        context.add_init_script(path=str(AXE_PATH))
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def cms(staff_page):
    return staff_page()


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, base_url=live_server.url, locale="en-GB"
    )
    context.add_init_script(path=str(AXE_PATH))
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def team(django_user_model, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PAGE_CACHE_SECONDS = 0
    article_index_ensure()
    manager = django_user_model.objects.create_user(
        username="morgan", password=PASSWORD, is_staff=True, first_name="Morgan", last_name="Lee"
    )
    manager.groups.add(Group.objects.get(name=Role.CLINIC_MANAGER))
    reviewer = django_user_model.objects.create_user(
        username="priya", password=PASSWORD, is_staff=True, first_name="Priya", last_name="Shah"
    )
    reviewer.groups.add(Group.objects.get(name=Role.PRACTITIONER))
    photo = get_image_model().objects.create(
        title="Stretching on a mat",
        file=SimpleUploadedFile("mat.jpg", jpeg_with_gps(), content_type="image/jpeg"),
    )
    return manager, reviewer, photo


def _wagtail_axe(page, screen: str, found: dict) -> None:
    violations = axe_violations(page)
    if violations:
        found[screen] = violations


def _choose_image(page, opener) -> None:
    opener.click()
    modal = page.locator(".modal")
    modal.get_by_role("link", name=re.compile("Stretching on a mat")).first.click()
    modal.wait_for(state="hidden")


def _add_block(page, name: str) -> None:
    page.locator("#panel-child-content-body-content button[title='Insert a block']").last.click()
    page.get_by_role("option", name=name).click()


def _type_rich_text(page, text: str) -> None:
    editor = page.locator(".Draftail-Editor [contenteditable='true']").last
    editor.click()
    page.keyboard.type(text)


def _approve(page, article_pk: int) -> None:
    page.goto(f"/cms/pages/{article_pk}/edit/")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Approve").first.click()
    dialog = page.get_by_role("dialog")
    if dialog.count() and dialog.get_by_role("button", name=re.compile("Approve")).count():
        dialog.get_by_role("button", name=re.compile("Approve")).last.click()
    page.wait_for_load_state("networkidle")


def _submit(page) -> None:
    page.wait_for_timeout(600)  # Draftail saves its state into the form every 250 ms
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Submit to Clinical review").click()
    page.get_by_text(re.compile("submitted", re.I)).first.wait_for()


def test_write_review_schedule_publish_edit_and_revert(cms, staff_page, phone, team, time_machine):
    manager, reviewer, _photo = team
    axe_found: dict = {}
    page = cms
    admin_login(page, manager, PASSWORD)
    review = staff_page()
    admin_login(review, reviewer, PASSWORD)

    # The manager writes the article: a hero picture, text, a table, a picture, red flags.
    index = article_index_ensure()
    page.goto(f"/cms/pages/{index.pk}/")
    _wagtail_axe(page, "page list", axe_found)
    page.goto(f"/cms/pages/add/articles/articlepage/{index.pk}/")
    page.locator("#id_title").fill("Stretching safely at home")
    page.locator("#id_summary").fill("How to stretch your hamstrings without upsetting your back.")
    _choose_image(
        page,
        page.locator("#panel-child-content-hero_image-section").get_by_role(
            "button", name="Choose an image"
        ),
    )
    page.locator("#id_hero_image_alt").fill("A person stretching on a blue mat")
    _add_block(page, "Text")
    _type_rich_text(page, "Original advice: move a little every hour.")
    _add_block(page, "Table")
    page.locator("input[name$='-value-caption']").last.fill("Weekly plan")
    page.locator("input[name$='-value-header']").last.fill("Day | Stretch")
    page.locator("textarea[name$='-value-rows']").last.fill(
        "Monday | Lying stretch\nTuesday | Bridge"
    )
    _add_block(page, "Picture")
    _choose_image(
        page, page.locator("[data-contentpath='image'] button").filter(has_text="Choose").last
    )
    page.locator("input[name$='-value-alt']").last.fill("The same mat, seen from above")
    _add_block(page, "Red-flag list (from the self-assessment)")
    _wagtail_axe(page, "page edit", axe_found)

    # Scheduled for a few minutes from now, then sent to clinical review (no "Publish" offered).
    go_live = timezone.localtime() + timedelta(minutes=3)
    page.get_by_role("button", name="Toggle status").first.click()
    page.get_by_role("button", name="Set schedule").locator("visible=true").first.click()
    page.locator("#id_go_live_at").wait_for(state="visible")
    # Typed as the widget would (its date picker pops up over the dialog's button).
    page.locator("#id_go_live_at").evaluate(
        "(input, value) => { input.value = value; }", go_live.strftime("%Y-%m-%d %H:%M")
    )
    page.wait_for_timeout(600)  # Draftail saves its state into the form every 250 ms
    page.get_by_role("button", name="Save schedule").locator("visible=true").first.click()
    page.locator("#id_go_live_at").wait_for(state="hidden")
    page.get_by_role("button", name="More actions").click()
    assert page.get_by_role("button", name=re.compile(r"^Publish")).count() == 0
    page.keyboard.press("Escape")
    _submit(page)
    article = ArticlePage.objects.get(slug="stretching-safely-at-home")
    assert article.current_workflow_task is not None and not article.live
    assert phone.goto("/articles/stretching-safely-at-home/").status == 404

    # The practitioner approves; the article is scheduled, not yet public.
    review.goto("/cms/")
    _wagtail_axe(review, "workflow tasks (dashboard)", axe_found)
    assert "Stretching safely at home" in review.content()
    _approve(review, article.pk)
    article.refresh_from_db()
    assert article.is_scheduled and not article.live
    page.goto(f"/cms/pages/{index.pk}/")
    assert page.get_by_text("Scheduled").first.is_visible()
    assert phone.goto("/articles/stretching-safely-at-home/").status == 404

    # Its time comes: Wagtail's scheduled publishing (Celery beat) puts it live.
    time_machine.move_to(article.go_live_at + timedelta(seconds=5), tick=True)
    articles_publish_scheduled()
    article.refresh_from_db()
    assert article.live and article.reviewed_by == "Priya Shah"

    # A phone reads it: the hero picture is small, nothing is wider than the screen.
    sizes: dict[str, int] = {}
    phone.on(
        "response",
        lambda r: (
            sizes.__setitem__(r.url, len(r.body())) if r.request.resource_type == "image" else None
        ),
    )
    phone.goto("/articles/stretching-safely-at-home/", wait_until="networkidle")
    hero = phone.locator("img.article-hero")
    hero_url = hero.evaluate("img => img.currentSrc")
    assert sizes[hero_url] < HERO_LIMIT, (hero_url, sizes[hero_url])
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert phone.get_by_text("Original advice: move a little every hour.").is_visible()
    assert phone.locator(".article-table td[data-label='Stretch']").first.is_visible()
    assert phone.locator(".article-red-flags li").count() >= 3
    assert "Clinically reviewed by Priya Shah" in phone.content()
    assert axe_violations(phone) == []

    # A later edit stays private until it is approved.
    page.goto(f"/cms/pages/{article.pk}/edit/")
    editor = page.locator(".Draftail-Editor [contenteditable='true']").first
    editor.click()
    page.keyboard.press("End")
    page.keyboard.press("Shift+Home")
    page.keyboard.type("Changed advice: rest all day.")
    assert "Changed advice" in editor.inner_text()
    page.wait_for_timeout(600)  # Draftail saves its state into the form every 250 ms
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state("networkidle")
    phone.goto("/articles/stretching-safely-at-home/")
    assert "Original advice" in phone.content() and "Changed advice" not in phone.content()
    _submit(page)
    phone.goto("/articles/stretching-safely-at-home/")
    assert "Changed advice" not in phone.content()
    _approve(review, article.pk)
    phone.goto("/articles/stretching-safely-at-home/")
    assert "Changed advice: rest all day." in phone.content()

    # A revert to the first approved version, reviewed again, brings the old text back.
    first = article.revisions.order_by("created_at").filter(approved_go_live_at__isnull=True)
    first_revision = article.revisions.order_by("created_at").first()
    assert first.exists()
    page.goto(f"/cms/pages/{article.pk}/revisions/{first_revision.pk}/revert/")
    page.wait_for_timeout(600)
    page.get_by_role("button", name=re.compile("Replace current draft|Save draft")).first.click()
    page.wait_for_url(re.compile(rf"/cms/pages/{article.pk}/edit/"))
    _submit(page)
    _approve(review, article.pk)
    phone.goto("/articles/stretching-safely-at-home/")
    assert "Original advice: move a little every hour." in phone.content()
    assert "Changed advice" not in phone.content()

    page.goto("/cms/images/")
    _wagtail_axe(page, "images", axe_found)
    # Wagtail's rich-text boxes get their accessible name from static/js/cms-editor-labels.js.
    assert axe_found == {}, axe_found


def test_receptionist_and_password_only_staff_cannot_open_the_cms(cms, django_user_model):
    from clinic.roles import Role

    desk_user = django_user_model.objects.create_user(
        username="desk", password=PASSWORD, is_staff=True
    )
    desk_user.groups.add(Group.objects.get(name=Role.RECEPTIONIST))
    cms.goto("/cms/pages/")
    assert re.search(r"/admin/login/", cms.url)
    admin_login(cms, desk_user, PASSWORD)
    cms.goto("/cms/")
    assert "/cms/" not in cms.url or cms.locator("text=Welcome").count() == 0
