"""Public article pages: the list, tag pages, search, and each article (a Wagtail page)."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from .models import ArticlePage, ArticlePageQuerySet, Tag
from .selectors import SEARCH_MAX_LENGTH, article_search, tag_list_in_use


class ArticleListView(ListView):
    """Published articles, newest first; with ``?q=`` a search."""

    template_name = "articles/article_list.html"
    context_object_name = "articles"
    paginate_by = 9

    def get_queryset(self) -> ArticlePageQuerySet:
        self.query = self.request.GET.get("q", "")
        if "q" in self.request.GET:
            return article_search(query=self.query)
        return ArticlePage.objects.published().for_listing()

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context.update(
            query=self.query[:SEARCH_MAX_LENGTH],
            query_too_long=len(self.query.strip()) > SEARCH_MAX_LENGTH,
            searching="q" in self.request.GET,
            tags=tag_list_in_use(),
            search_max_length=SEARCH_MAX_LENGTH,
        )
        return context


class TagArticleListView(ListView):
    template_name = "articles/tag_detail.html"
    context_object_name = "articles"
    paginate_by = 9

    def get_queryset(self) -> ArticlePageQuerySet:
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return ArticlePage.objects.published().filter(tags=self.tag).for_listing()

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(tag=self.tag, **kwargs)


def _staff_may_preview(request: HttpRequest) -> bool:
    user = request.user
    return user.is_authenticated and user.is_staff and user.is_verified()


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One article. Staff signed in with their second factor see the latest draft, as a preview.

    A patient sees only the live version: a draft of a live page stays private until a
    clinician has approved it.
    """
    pages = ArticlePage.objects.select_related("author", "hero_image").prefetch_related("tags")
    if _staff_may_preview(request):
        page = get_object_or_404(pages, slug=slug)
        if page.has_unpublished_changes or not page.live:
            page = page.get_latest_revision_as_object()
            request.is_preview = True
    else:
        page = pages.published().filter(slug=slug).first()
        if page is None:
            raise Http404("No such article")
    response = page.serve(request)
    if getattr(request, "is_preview", False) or not page.is_public:
        # A staff preview must never be cached anywhere on the way.
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
    return response


def article_structured_data(request: HttpRequest, article: ArticlePage) -> dict:
    """schema.org metadata describing the article as reviewed medical content."""
    url = request.build_absolute_uri(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "headline": article.title,
        "description": article.summary,
        "url": url,
        "mainEntityOfPage": url,
        "publisher": {"@type": "MedicalClinic", "name": settings.CLINIC_NAME},
        "inLanguage": "en-GB",
    }
    if article.first_published_at:
        data["datePublished"] = article.first_published_at.isoformat()
        data["dateModified"] = (article.last_published_at or article.first_published_at).isoformat()
    if article.author:
        data["author"] = {"@type": "Person", "name": article.author.get_full_name() or "Staff"}
    if article.reviewed_on:
        data["lastReviewed"] = article.reviewed_on.isoformat()
        data["reviewedBy"] = {"@type": "Person", "name": article.reviewed_by}
    if article.hero_image_id:
        data["image"] = request.build_absolute_uri(
            article.hero_image.get_rendition("fill-1200x675|format-jpeg").url
        )
    return data
