import pytest
from django.urls import reverse

from tests.articles.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


def test_anonymous_article_pages_are_served_from_the_cache(client, django_assert_num_queries):
    article = ArticleFactory(title="Cached piece")
    first = client.get(article.get_absolute_url())
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = client.get(article.get_absolute_url())
    assert second.content == first.content
    assert "public" in second["Cache-Control"]


def test_editing_an_article_shows_at_once(client):
    article = ArticleFactory(title="Old title")
    assert b"Old title" in client.get(reverse("articles:list")).content
    article.title = "New title"
    article.save()
    content = client.get(reverse("articles:list")).content
    assert b"New title" in content and b"Old title" not in content


def test_retagging_an_article_clears_the_cache(client):
    from tests.articles.factories import TagFactory

    article = ArticleFactory()
    tag = TagFactory(name="Fresh topic", slug="fresh-topic")
    assert b"Fresh topic" not in client.get(article.get_absolute_url()).content
    article.tags.add(tag)
    article.save()  # a page's tags are saved with the page (modelcluster)
    assert b"Fresh topic" in client.get(article.get_absolute_url()).content


def test_visitors_with_a_session_get_a_fresh_page(staff_client):
    draft = ArticleFactory(draft=True, title="Staff only")
    assert staff_client.get(draft.get_absolute_url()).status_code == 200
    staff_client.logout()
    assert staff_client.get(draft.get_absolute_url()).status_code == 404


def test_a_404_is_never_cached(client):
    article = ArticleFactory(draft=True)
    assert client.get(article.get_absolute_url()).status_code == 404
    # Saving through the queryset skips signals: the page must still not come from the cache.
    type(article).objects.filter(pk=article.pk).update(
        live=True, first_published_at=article.latest_revision_created_at
    )
    assert client.get(article.get_absolute_url()).status_code == 200


def test_a_hot_page_is_served_from_process_memory_without_the_shared_cache(
    client, settings, monkeypatch
):
    settings.PAGE_CACHE_LOCAL_SECONDS = 5
    article = ArticleFactory()
    first = client.get(article.get_absolute_url())
    from django.core.cache import cache

    def unreachable(*args, **kwargs):
        raise AssertionError("the shared cache was asked")

    monkeypatch.setattr(cache, "get_many", unreachable)
    second = client.get(article.get_absolute_url())
    assert second.content == first.content


def test_pages_still_render_when_the_cache_is_down(client, settings, monkeypatch):
    settings.PAGE_CACHE_LOCAL_SECONDS = 0
    from django.core.cache import cache

    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "get_many", down)
    monkeypatch.setattr(cache, "set", down)
    article = ArticleFactory(title="Still readable")
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert b"Still readable" in response.content
