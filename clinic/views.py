"""The site's own pages: home, privacy notice, robots.txt and the error pages."""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
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


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``, which browsers and bots ask for whatever the page links to.

    Read from the static sources (``static/icons/``), which every deployment has, so it answers
    before and after ``collectstatic`` alike.
    """
    with open(finders.find("icons/favicon.ico"), "rb") as icon:
        return HttpResponse(icon.read(), content_type="image/x-icon")


@require_GET
@cache_control(max_age=86400, public=True)
def web_manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: name, colours and icons for "Add to home screen"."""
    icon = "image/png"
    manifest = {
        "name": settings.CLINIC_NAME,
        "short_name": settings.CLINIC_NAME.split()[0],
        "start_url": reverse("home"),
        "display": "browser",
        "background_color": "#ffffff",
        "theme_color": "#0b5d66",
        "icons": [
            {"src": static("icons/icon.svg"), "type": "image/svg+xml", "sizes": "any"},
            {"src": static("icons/icon-192.png"), "type": icon, "sizes": "192x192"},
            {"src": static("icons/icon-512.png"), "type": icon, "sizes": "512x512"},
            {
                "src": static("icons/icon-maskable-512.png"),
                "type": icon,
                "sizes": "512x512",
                "purpose": "maskable",
            },
        ],
    }
    return JsonResponse(manifest, content_type="application/manifest+json")


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The friendly page (or JSON) a client sees when it has sent too much too quickly."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"error": "rate_limited", "message": "Too many requests. Please wait a minute."},
            status=429,
        )
    return render(request, "429.html", status=429)
