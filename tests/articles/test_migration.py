"""The data migration moves the Markdown articles into pages under the same addresses."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("articles", "0001_initial")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_markdown_articles_become_pages_with_tags_review_and_blocks(client):
    executor = MigrationExecutor(connection)
    latest = [key for key in executor.loader.graph.leaf_nodes() if key[0] == "articles"]
    old = _migrate(BEFORE)
    Article, Tag = old.get_model("articles", "Article"), old.get_model("articles", "Tag")
    tag = Tag.objects.create(name="Hamstrings", slug="hamstrings")
    live = Article.objects.create(
        title="Old live article",
        slug="old-live-article",
        summary="A summary.",
        body="## Why\n\nSome **bold** words.\n\n| Stretch | Hold |\n|---|---|\n| Lying | 30 s |\n",
        status="published",
        published_at=timezone.now() - timedelta(days=2),
        reviewed_on=timezone.localdate() - timedelta(days=3),
        reviewed_by="Dr Old Reviewer",
        reading_minutes=1,
    )
    live.tags.add(tag)
    Article.objects.create(title="Old draft", slug="old-draft", summary="S", body="x")
    _migrate(latest)

    from articles.models import ArticlePage

    page = ArticlePage.objects.get(slug="old-live-article")
    assert page.live and page.get_absolute_url() == "/articles/old-live-article/"
    assert [block.block_type for block in page.body] == ["text", "table"]
    assert [t.slug for t in page.tags.all()] == ["hamstrings"]
    assert page.reviewed_by == "Dr Old Reviewer"
    assert not ArticlePage.objects.get(slug="old-draft").live
    response = client.get("/articles/old-live-article/")
    assert response.status_code == 200
    assert "Some <b>bold</b> words" in response.text or "<strong>bold</strong>" in response.text
    assert client.get("/articles/old-draft/").status_code == 404
