"""Demo articles for ``seed_demo``: the text lives in ``demo_content``."""

from datetime import timedelta

from django.utils import timezone
from django.utils.text import slugify

from .demo_content import DEMO_ARTICLES
from .models import Article, Tag


def seed(*, staff_user, stdout) -> None:
    created = 0
    now = timezone.now()
    for entry in DEMO_ARTICLES:
        article, was_created = Article.objects.get_or_create(
            slug=entry["slug"],
            defaults={
                "title": entry["title"],
                "summary": entry["summary"],
                "body": entry["body"],
                "author": staff_user,
                "status": Article.Status.PUBLISHED,
                "published_at": now - timedelta(days=entry["days_ago"]),
                "reviewed_on": (now - timedelta(days=entry["days_ago"])).date(),
                "reviewed_by": entry["reviewed_by"],
            },
        )
        if was_created:
            created += 1
            tags = [
                Tag.objects.get_or_create(
                    slug=slugify(name), defaults={"name": name.replace("-", " ").capitalize()}
                )[0]
                for name in entry["tags"]
            ]
            article.tags.set(tags)
    stdout.write(f"Articles: {created} created, {len(DEMO_ARTICLES) - created} already there.")
