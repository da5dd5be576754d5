from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from articles.models import Article
from articles.services import article_publish

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_body_is_rendered_and_sanitised_on_save():
    article = ArticleFactory(
        body="Hello **there**\n\n<script>alert('x')</script>\n\n[bad](javascript:alert(1))"
    )
    assert "<strong>there</strong>" in article.body_html
    assert "<script" not in article.body_html
    assert "alert" not in article.body_html
    assert "javascript:" not in article.body_html


def test_reading_time_is_at_least_one_minute_and_grows_with_length():
    assert ArticleFactory(body="short").reading_minutes == 1
    assert ArticleFactory(body="word " * 1000).reading_minutes == 5


def test_published_excludes_drafts_and_scheduled_articles():
    live = ArticleFactory()
    ArticleFactory(draft=True)
    ArticleFactory(scheduled=True)
    assert list(Article.objects.published()) == [live]


def test_hero_image_needs_alt_text():
    with pytest.raises(IntegrityError):
        ArticleFactory(hero_image="articles/x.png", hero_image_alt="")


def test_published_article_needs_a_date():
    with pytest.raises(IntegrityError):
        ArticleFactory(status=Article.Status.PUBLISHED, published_at=None)


def test_review_date_needs_a_reviewer():
    with pytest.raises(IntegrityError):
        ArticleFactory(reviewed_on=timezone.localdate(), reviewed_by="")


def test_publish_keeps_an_existing_date_and_can_schedule():
    article = ArticleFactory(draft=True)
    article_publish(article=article)
    article.refresh_from_db()
    assert article.is_public
    first_date = article.published_at
    article_publish(article=article)
    article.refresh_from_db()
    assert article.published_at == first_date

    later = timezone.now() + timedelta(days=3)
    article_publish(article=article, at=later)
    article.refresh_from_db()
    assert not article.is_public
