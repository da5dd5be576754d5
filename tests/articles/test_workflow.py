"""Clinical sign-off, the audit trail, redirects and the blocks' own checks."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from wagtail.blocks import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from articles.blocks import ArticleBodyBlock, PictureBlock, TableBlock
from articles.models import ArticlePage
from tests.conftest import login_staff

from .factories import ArticleFactory, manager_user

pytestmark = pytest.mark.django_db


def test_wagtail_actions_reach_the_audit_log():
    article = ArticleFactory()
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ArticlePage), object_pk=str(article.pk)
    )
    actions = {entry.changes_dict["wagtail_action"][1] for entry in entries}
    assert {"wagtail.create", "wagtail.workflow.start", "wagtail.publish"} <= actions
    assert any(a.startswith("wagtail.workflow.approve") for a in actions)


def test_the_editor_cannot_publish_an_article_directly(client):
    article = ArticleFactory(draft=True, title="Unreviewed")
    manager = manager_user()
    login_staff(client, manager)
    edit = client.get(f"/cms/pages/{article.pk}/edit/")
    assert edit.status_code == 200
    assert 'name="action-publish"' not in edit.text
    assert 'name="action-submit"' in edit.text
    form = nested_form_data(
        {
            "title": "Unreviewed",
            "slug": article.slug,
            "summary": "A summary.",
            "body": streamfield([("text", rich_text("<p>Words.</p>"))]),
            "comments": inline_formset([]),
            "action-publish": "1",
        }
    )
    response = client.post(f"/cms/pages/{article.pk}/edit/", form)
    assert response.status_code in (200, 302)
    assert not ArticlePage.objects.get(pk=article.pk).live


def test_a_changed_slug_redirects_from_the_old_address(client, django_capture_on_commit_callbacks):
    article = ArticleFactory(slug="old-address")
    page = ArticlePage.objects.get(pk=article.pk)
    page.slug = "new-address"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision(user=manager_user()).publish(skip_permission_checks=True)
    response = client.get("/articles/old-address/")
    assert response.status_code in (301, 302)
    assert response["Location"].endswith("/articles/new-address/")


def test_a_picture_needs_a_description_and_a_table_its_columns():
    with pytest.raises(StructBlockValidationError):
        PictureBlock().clean({"image": None, "alt": "", "caption": ""})
    table = TableBlock()
    with pytest.raises(StructBlockValidationError):
        table.clean({"caption": "Plan", "header": "A | B", "rows": "1 | 2\n3"})
    assert table.clean({"caption": "Plan", "header": "A | B", "rows": "1 | 2"})


def test_converted_markdown_keeps_no_h1_or_script():
    from articles.markdown import markdown_to_blocks

    blocks = markdown_to_blocks("# Top\n\n<script>alert(1)</script>\n\nText")
    html = "".join(block["value"] for block in blocks if block["type"] == "text")
    assert "<h1" not in html and "<script" not in html and "<h2>Top</h2>" in html
    body = ArticleBodyBlock()
    with pytest.raises(StreamBlockValidationError):
        body.clean(body.to_python([{"type": "table", "value": {"caption": "", "header": "A"}}]))
