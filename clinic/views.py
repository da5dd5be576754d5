"""The site's own pages: home, privacy notice, robots.txt and the error pages."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from articles.models import ArticlePage
from clinic.page_cache import cache_public_page


@require_GET
@cache_public_page
def home(request: HttpRequest) -> HttpResponse:
    latest = ArticlePage.objects.published().for_listing()[:3]
    return render(request, "home.html", {"latest_articles": latest})


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "privacy.html",
        {"privacy_version": settings.PRIVACY_NOTICE_VERSION},
    )


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        f"Disallow: /{settings.ADMIN_URL}",
        f"Disallow: /{settings.WAGTAIL_ADMIN_URL}",
        "Disallow: /book/manage/",
        "Disallow: /assessment/",
        "Disallow: /api/",
        f"Sitemap: {request.build_absolute_uri(reverse('django.contrib.sitemaps.views.sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The friendly page (or JSON) a client sees when it has sent too much too quickly."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"error": "rate_limited", "message": "Too many requests. Please wait a minute."},
            status=429,
        )
    return render(request, "429.html", status=429)
