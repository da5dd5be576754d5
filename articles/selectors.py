"""Reads of articles for the public pages, each in a fixed number of queries."""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Count, Q

from .models import ArticlePage, ArticlePageQuerySet, Tag

SEARCH_MAX_LENGTH = 100
RELATED_LIMIT = 3


def article_search(
    *, query: str, queryset: ArticlePageQuerySet | None = None
) -> ArticlePageQuerySet:
    """Published articles matching ``query``, best first.

    PostgreSQL ranks with full-text search (English stemming, so "stretches" finds
    "stretching"); SQLite, used only on a developer's machine, matches words as substrings.
    A query longer than ``SEARCH_MAX_LENGTH`` finds nothing rather than loading the database.
    """
    queryset = queryset if queryset is not None else ArticlePage.objects.published().for_listing()
    # Control characters (a NUL byte would make PostgreSQL refuse the query) are never words.
    query = "".join(ch for ch in query if ch.isprintable()).strip()
    if not query or len(query) > SEARCH_MAX_LENGTH:
        return queryset.none()
    if connection.vendor == "postgresql":
        vector = (
            SearchVector("title", weight="A", config="english")
            + SearchVector("summary", weight="B", config="english")
            + SearchVector("search_text", weight="C", config="english")
        )
        search = SearchQuery(query, search_type="websearch", config="english")
        return (
            queryset.annotate(rank=SearchRank(vector, search))
            .filter(rank__gt=0)
            .order_by("-rank", "-first_published_at")
        )
    condition = Q()
    for word in query.split()[:10]:
        condition &= (
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(search_text__icontains=word)
        )
    return queryset.filter(condition)


def article_list_related(*, article: ArticlePage) -> list[ArticlePage]:
    """Up to three other published articles sharing the most tags with ``article``."""
    tag_ids = [tag.pk for tag in article.tags.all()]
    related = (
        ArticlePage.objects.published()
        .exclude(pk=article.pk)
        .annotate(shared=Count("tags", filter=Q(tags__in=tag_ids), distinct=True))
        .defer("body", "search_text")
        .order_by("-shared", "-first_published_at")
    )
    return list(related[:RELATED_LIMIT])


def tag_list_in_use() -> list[Tag]:
    """Tags that at least one published article carries, for the tag cloud."""
    published = ArticlePage.objects.published()
    return list(Tag.objects.filter(articles__in=published).distinct().order_by("name"))
