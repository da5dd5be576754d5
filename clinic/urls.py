"""The site's URL map. Each app owns its own ``urls.py`` with an ``app_name``."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from articles.sitemaps import ArticleSitemap
from clinic import health, views
from clinic.sitemaps import StaticPagesSitemap

handler400 = "clinic.errors.bad_request"
handler500 = "clinic.errors.server_error"

sitemaps = {"pages": StaticPagesSitemap, "articles": ArticleSitemap}

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("health/", health.health, name="health"),
    path("health/live/", health.live, name="health_live"),
    path("health/worker/", health.worker, name="health_worker"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("site.webmanifest", views.web_manifest, name="web_manifest"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": sitemaps},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("articles/", include("articles.urls")),
    path("contact/", include("clinic.contact.urls")),
    path("book/", include("bookings.urls")),
    path("api/", include("bookings.api_urls")),
    path("assessment/", include("assessments.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
    # Wagtail's admin for the articles, behind the same sign-in and second factor.
    path(settings.WAGTAIL_ADMIN_URL, include("articles.cms_urls")),
]

if settings.DEBUG:
    # Uploaded article images on a developer's machine; production serves MEDIA_ROOT itself.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
