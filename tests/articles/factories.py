"""Articles built as users build them: a draft page, sent to clinical review, approved."""

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.text import slugify

from articles.models import ArticlePage, Tag
from articles.services import (
    article_draft_create,
    article_review_approve,
    article_submit_for_review,
)
from clinic.roles import Role


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


def practitioner_user(name: str = "A. Reviewer"):
    """A practitioner who can review articles (staff, in the Practitioner group)."""
    user, _ = get_user_model().objects.get_or_create(
        username=slugify(name)[:150] or "reviewer",
        defaults={"first_name": name, "is_staff": True, "email": "reviewer@example.com"},
    )
    user.groups.add(Group.objects.get_or_create(name=Role.PRACTITIONER)[0])
    return user


def manager_user(username: str = "manager"):
    from clinic.roles import Role

    user, _ = get_user_model().objects.get_or_create(
        username=username,
        defaults={"first_name": "Morgan", "last_name": "Manager", "is_staff": True},
    )
    user.groups.add(Group.objects.get_or_create(name=Role.CLINIC_MANAGER)[0])
    return user


class ArticleFactory(factory.Factory):
    """``ArticleFactory()`` is live; ``draft=True`` never submitted; ``scheduled=True`` approved
    but going live in two days."""

    class Meta:
        model = ArticlePage

    title = factory.Sequence(lambda n: f"Article number {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    summary = "A short summary of the article."
    body = "## A heading\n\nSome words about hamstrings and the lower back.\n"
    status = "published"
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    go_live_at = None
    reviewed_by = "A. Reviewer"
    tags = None
    next_review = None

    class Params:
        draft = factory.Trait(status="draft", published_at=None)
        scheduled = factory.Trait(
            published_at=None,
            go_live_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=2)),
        )

    @classmethod
    def _create(cls, model_class, *, status, published_at, reviewed_by, tags, **kwargs):
        kwargs.pop("reviewed_on", None)  # the date comes from the approval
        author = manager_user()
        page = article_draft_create(
            author=author, tags=tags or (), first_published_at=published_at, **kwargs
        )
        if status == "published":
            article_submit_for_review(page=page, user=author)
            article_review_approve(page=page, reviewer=practitioner_user(reviewed_by))
        return ArticlePage.objects.get(pk=page.pk)

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise NotImplementedError("Articles are pages: use ArticleFactory() (create).")
