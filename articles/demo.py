"""Demo articles for ``seed_demo``, made as users make them: a draft page, a clinical review,
an approval by a (fictional, demo-labelled) practitioner. The text lives in ``demo_content``."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.text import slugify

from clinic.roles import Role

from .demo_content import DEMO_ARTICLES
from .models import ArticlePage, Tag
from .services import article_draft_create, article_review_approve, article_submit_for_review


def _demo_reviewer(name: str):
    user, _ = get_user_model().objects.get_or_create(
        username=f"demo-reviewer-{slugify(name)[:40]}",
        defaults={"first_name": name, "is_staff": True, "email": "demo-reviewer@example.com"},
    )
    user.groups.add(Group.objects.get_or_create(name=Role.PRACTITIONER)[0])
    return user


def seed(*, staff_user, stdout) -> None:
    created = 0
    now = timezone.now()
    for entry in DEMO_ARTICLES:
        if ArticlePage.objects.filter(slug=entry["slug"]).exists():
            continue
        tags = [
            Tag.objects.get_or_create(
                slug=slugify(name), defaults={"name": name.replace("-", " ").capitalize()}
            )[0]
            for name in entry["tags"]
        ]
        page = article_draft_create(
            title=entry["title"],
            slug=entry["slug"],
            summary=entry["summary"],
            body=entry["body"],
            author=staff_user,
            tags=tags,
            next_review=(now + timedelta(days=entry["next_review_days"])).date(),
            first_published_at=now - timedelta(days=entry["days_ago"]),
        )
        article_submit_for_review(page=page, user=staff_user)
        article_review_approve(page=page, reviewer=_demo_reviewer(entry["reviewed_by"]))
        created += 1
    stdout.write(f"Articles: {created} created, {len(DEMO_ARTICLES) - created} already there.")
