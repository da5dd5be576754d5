"""Public article pages: the list, tag pages, search, and each article."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from .models import Article, ArticleQuerySet, Tag
from .selectors import SEARCH_MAX_LENGTH, article_list_related, article_search, tag_list_in_use


class ArticleListView(ListView):
    """Published articles, newest first; with ``?q=`` a search."""

    template_name = "articles/article_list.html"
    context_object_name = "articles"
    paginate_by = 9

    def get_queryset(self) -> ArticleQuerySet:
        self.query = self.request.GET.get("q", "")
        if "q" in self.request.GET:
            return article_search(query=self.query)
        return Article.objects.published().for_listing()

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

    def get_queryset(self) -> ArticleQuerySet:
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return Article.objects.published().filter(tags=self.tag).for_listing()

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(tag=self.tag, **kwargs)


class ArticleDetailView(DetailView):
    """One article. Drafts and scheduled articles are visible only to staff, as a preview."""

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self) -> ArticleQuerySet:
        articles = Article.objects.select_related("author").prefetch_related("tags")
        if self.request.user.is_staff:
            return articles
        return articles.published()

    def get_context_data(self, **kwargs) -> dict:
        article = self.object
        return super().get_context_data(
            related_articles=article_list_related(article=article),
            is_preview=not article.is_public,
            structured_data=_article_structured_data(self.request, article),
            **kwargs,
        )

    def render_to_response(self, context, **response_kwargs) -> HttpResponse:
        response = super().render_to_response(context, **response_kwargs)
        if context["is_preview"]:
            # A staff preview must never be cached anywhere on the way.
            response["Cache-Control"] = "private, no-store"
            response["X-Robots-Tag"] = "noindex"
        return response


def _article_structured_data(request: HttpRequest, article: Article) -> dict:
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
    if article.published_at:
        data["datePublished"] = article.published_at.isoformat()
    data["dateModified"] = article.updated_at.isoformat()
    if article.author:
        data["author"] = {"@type": "Person", "name": article.author.get_full_name() or "Staff"}
    if article.reviewed_on:
        data["lastReviewed"] = article.reviewed_on.isoformat()
        data["reviewedBy"] = {"@type": "Person", "name": article.reviewed_by}
    if article.hero_image:
        data["image"] = request.build_absolute_uri(article.hero_image.url)
    return data
