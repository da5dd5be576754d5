"""Public pages make a small, constant number of queries however many articles there are."""

import pytest
from django.urls import reverse

from .factories import ArticleFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_articles():
    tags = [TagFactory() for _ in range(4)]
    return [ArticleFactory(tags=tags[: i % 4 + 1]) for i in range(20)]


@pytest.mark.parametrize(
    "url_name", ["home", "articles:list", "articles:feed", "django.contrib.sitemaps.views.sitemap"]
)
def test_listing_pages_query_count_is_constant(
    client, django_assert_max_num_queries, url_name, many_articles
):
    with django_assert_max_num_queries(4):
        assert client.get(reverse(url_name)).status_code == 200


def test_tag_page_query_count_is_constant(client, django_assert_max_num_queries, many_articles):
    tag = many_articles[-1].tags.first()
    with django_assert_max_num_queries(5):
        assert client.get(tag.get_absolute_url()).status_code == 200


def test_detail_page_query_count_is_constant(client, django_assert_max_num_queries, many_articles):
    with django_assert_max_num_queries(4):
        assert client.get(many_articles[0].get_absolute_url()).status_code == 200


def test_search_query_count_is_constant(client, django_assert_max_num_queries, many_articles):
    with django_assert_max_num_queries(4):
        assert client.get(reverse("articles:list"), {"q": "hamstrings"}).status_code == 200
