"""Health articles as Wagtail pages: written in blocks, reviewed by a clinician, then published.

The public addresses stay ``/articles/`` (the list), ``/articles/tag/<slug>/`` and
``/articles/<slug>/``: the views in ``views.py`` serve these pages (with the page cache) rather
than Wagtail's own routing. Wagtail gives the editors revisions, compare and revert, the
"Clinical review" workflow, scheduling, locking, redirects and the image library.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from .blocks import ArticleBodyBlock, stream_reading_minutes, stream_text


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:tag", kwargs={"slug": self.slug})


class ArticleIndexPage(Page):
    """The ``/articles/`` page: the parent of every article in Wagtail's tree."""

    max_count = 1
    subpage_types = ["articles.ArticlePage"]

    class Meta:
        verbose_name = _("article list")

    def get_url(self, request=None, current_site=None) -> str:
        return reverse("articles:list")

    def get_url_parts(self, request=None):
        return (None, settings.WAGTAILADMIN_BASE_URL, reverse("articles:list"))

    def serve(self, request, *args, **kwargs):
        from .views import ArticleListView

        return ArticleListView.as_view()(request)


class ArticlePageQuerySet(PageQuerySet):
    def published(self) -> "ArticlePageQuerySet":
        """Articles a patient may read now: live (Wagtail publishes scheduled ones on time)."""
        return self.live().filter(first_published_at__isnull=False)

    def for_listing(self) -> "ArticlePageQuerySet":
        """What a list of article cards needs, in a fixed number of queries."""
        return (
            self.select_related("author")
            .prefetch_related("tags")
            .defer("body", "search_text")
            .order_by("-first_published_at", "-pk")
        )

    def review_overdue(self, *, today: date | None = None) -> "ArticlePageQuerySet":
        """Articles whose next clinical review date has passed."""
        return self.filter(next_review__lt=today or timezone.localdate())


class ArticlePage(Page):
    summary = models.TextField(
        _("summary"),
        max_length=300,
        help_text=_("One or two sentences shown in lists, search results and link previews."),
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_image_alt = models.CharField(
        _("hero image description"),
        max_length=250,
        blank=True,
        help_text=_("Describe the picture for people who cannot see it. Required with an image."),
    )
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"))
    # Plain text of the body, for search and the reading time; derived on save.
    search_text = models.TextField(_("body as text"), editable=False, default="")
    reading_minutes = models.PositiveSmallIntegerField(
        _("reading time (minutes)"), editable=False, default=1
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    tags = ParentalManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="articles")
    next_review = models.DateField(
        _("next clinical review"),
        null=True,
        blank=True,
        help_text=_("When a clinician should look at this article again."),
    )
    # Set from the approval of the "Clinical review" workflow when the article is published,
    # never typed in: see ``services.article_review_record``.
    reviewed_on = models.DateField(_("clinically reviewed on"), null=True, editable=False)
    reviewed_by = models.CharField(
        _("reviewed by"), max_length=150, blank=True, default="", editable=False
    )

    objects = PageManager.from_queryset(ArticlePageQuerySet)()

    template = "articles/article_detail.html"
    parent_page_types = ["articles.ArticleIndexPage"]
    subpage_types: list[str] = []

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("hero_image"), FieldPanel("hero_image_alt")], heading=_("Hero image")
        ),
        FieldPanel("body"),
        FieldPanel("tags"),
        FieldPanel("next_review"),
    ]
    promote_panels = [*Page.promote_panels, FieldPanel("author")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("search_text"),
    ]

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hero_image__isnull=True) | ~models.Q(hero_image_alt=""),
                name="articlepage_hero_image_has_alt",
                violation_error_message=_("Describe the hero image for people who cannot see it."),
            ),
            models.CheckConstraint(
                condition=models.Q(reviewed_on__isnull=True) | ~models.Q(reviewed_by=""),
                name="articlepage_review_names_reviewer",
                violation_error_message=_("Say who reviewed the article."),
            ),
        ]

    def clean(self) -> None:
        super().clean()
        if self.hero_image_id and not self.hero_image_alt.strip():
            raise ValidationError(
                {"hero_image_alt": _("Describe the hero image for people who cannot see it.")}
            )

    def save(self, *args, **kwargs):
        # Derived once here, not on every page view.
        self.search_text = stream_text(self.body)
        self.reading_minutes = stream_reading_minutes(self.body)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_text", "reading_minutes"}
        return super().save(*args, **kwargs)

    def get_url(self, request=None, current_site=None) -> str:
        return self.get_absolute_url()

    def get_url_parts(self, request=None):
        # The articles' addresses are the site's own URLconf, whatever the page tree says.
        return (None, settings.WAGTAILADMIN_BASE_URL, self.get_absolute_url())

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", kwargs={"slug": self.slug})

    @property
    def published_at(self):
        """When patients first could read it (what lists are ordered by)."""
        return self.first_published_at

    @property
    def is_public(self) -> bool:
        return self.live and self.first_published_at is not None

    @property
    def review_overdue(self) -> bool:
        return self.next_review is not None and self.next_review < timezone.localdate()

    @property
    def is_scheduled(self) -> bool:
        return not self.live and bool(self.go_live_at and self.go_live_at > timezone.now())

    def get_context(self, request, *args, **kwargs) -> dict:
        from .selectors import article_list_related
        from .views import article_structured_data

        context = super().get_context(request, *args, **kwargs)
        context.update(
            article=self,
            related_articles=article_list_related(article=self),
            is_preview=kwargs.get("is_preview", getattr(request, "is_preview", False))
            or not self.is_public,
            structured_data=article_structured_data(request, self),
        )
        return context
