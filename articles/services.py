"""Writes to articles: the same path for the admin action and anything else."""

from django.utils import timezone

from .models import Article


def article_publish(*, article: Article, at=None) -> Article:
    """Publish ``article`` now, or at ``at`` (a future time schedules it).

    Keeps an existing publication date unless one is given, so re-publishing an article does
    not move it to the top of the list.
    """
    article.status = Article.Status.PUBLISHED
    if at is not None:
        article.published_at = at
    elif article.published_at is None:
        article.published_at = timezone.now()
    article.save(update_fields=["status", "published_at", "updated_at"])
    return article
