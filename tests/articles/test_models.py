from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.utils import timezone

from articles.models import ArticlePage
from articles.services import article_review_approve, article_submit_for_review

from .factories import ArticleFactory, manager_user, practitioner_user

pytestmark = pytest.mark.django_db


def test_body_is_rendered_and_sanitised(client):
    article = ArticleFactory(
        body="Hello **there**\n\n<script>alert('x')</script>\n\n[bad](javascript:alert(1))"
    )
    html = client.get(article.get_absolute_url()).content.decode().split('class="article-body"')[1]
    html = html.split("</article>")[0]
    assert "<b>there</b>" in html or "<strong>there</strong>" in html
    assert "<script" not in html
    assert "alert" not in html
    assert "javascript:" not in html


def test_reading_time_is_at_least_one_minute_and_grows_with_length():
    assert ArticleFactory(body="short").reading_minutes == 1
    assert ArticleFactory(body="word " * 1000).reading_minutes == 5


def test_published_excludes_drafts_and_scheduled_articles():
    live = ArticleFactory()
    ArticleFactory(draft=True)
    scheduled = ArticleFactory(scheduled=True)
    assert list(ArticlePage.objects.published()) == [live]
    assert scheduled.is_scheduled


def test_hero_image_needs_alt_text():
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    image = Image.objects.create(title="x", file=get_test_image_file())
    article = ArticleFactory()
    with pytest.raises(IntegrityError):
        ArticlePage.objects.filter(pk=article.pk).update(hero_image=image, hero_image_alt="")


def test_review_date_needs_a_reviewer():
    article = ArticleFactory()
    with pytest.raises(IntegrityError):
        ArticlePage.objects.filter(pk=article.pk).update(
            reviewed_on=timezone.localdate(), reviewed_by=""
        )


def test_reviewer_and_date_come_from_the_approval():
    article = ArticleFactory(reviewed_by="Dr Named Practitioner")
    assert article.reviewed_by == "Dr Named Practitioner"
    assert article.reviewed_on == timezone.localdate()


def test_only_a_practitioner_can_approve():
    article = ArticleFactory(draft=True)
    manager = manager_user()
    article_submit_for_review(page=article, user=manager)
    with pytest.raises(PermissionDenied):
        article_review_approve(page=article, reviewer=manager)
    article_review_approve(page=article, reviewer=practitioner_user())
    assert ArticlePage.objects.get(pk=article.pk).live


def test_a_later_edit_stays_private_until_approved(client):
    article = ArticleFactory(title="First words")
    draft = ArticlePage.objects.get(pk=article.pk)
    draft.title = "Second words"
    draft.save_revision(user=manager_user())
    assert "First words" in client.get(article.get_absolute_url()).text
    article_submit_for_review(page=draft, user=manager_user())
    assert "Second words" not in client.get(article.get_absolute_url()).text
    article_review_approve(page=draft, reviewer=practitioner_user())
    assert "Second words" in client.get(article.get_absolute_url()).text


def test_scheduled_article_goes_live_when_publish_scheduled_runs(client, time_machine):
    from articles.tasks import articles_publish_scheduled

    article = ArticleFactory(scheduled=True)
    assert client.get(article.get_absolute_url()).status_code == 404
    time_machine.move_to(article.go_live_at + timedelta(seconds=1), tick=False)
    articles_publish_scheduled()
    assert client.get(article.get_absolute_url()).status_code == 200


def test_overdue_review_is_listed_and_shown(client):
    overdue = ArticleFactory(next_review=timezone.localdate() - timedelta(days=1))
    ArticleFactory(next_review=timezone.localdate() + timedelta(days=30))
    assert list(ArticlePage.objects.review_overdue()) == [overdue]
    assert "overdue" in client.get(overdue.get_absolute_url()).text
