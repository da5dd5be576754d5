"""Whole-page caching for what anonymous visitors read: the home page and the articles.

Most patients arrive on an article from a search engine, never logged in and without a
session. Their pages are the same for everyone, so they are rendered once and served from the
cache (Redis in production) until an article changes or ``PAGE_CACHE_SECONDS`` pass, which also
bounds how late a scheduled article appears. Anyone with a session (staff previewing drafts, a
patient mid-booking) always gets a freshly rendered page.
"""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

VERSION_KEY = "page-cache:version"


def page_cache_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def page_cache_invalidate(**_signal_kwargs) -> None:
    """Forget every cached page: called whenever published content changes."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.add(VERSION_KEY, 1, timeout=None)


def _cacheable(request: HttpRequest) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "q" not in request.GET
    )


def cache_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        digest = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
        key = f"page-cache:page:{digest}"
        # One round trip: the current version and the stored page, which records the version
        # it was rendered under. A page from before the last content change is a miss.
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY) or page_cache_version()
        stored = found.get(key)
        if stored is not None and stored[0] == version:
            return stored[1]
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if _storable(request, response):
            patch_cache_control(response, public=True, max_age=60)
            cache.set(key, (version, response), settings.PAGE_CACHE_SECONDS)
        return response

    return wrapped


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    """Only a plain public page: nothing personal, no cookie, no CSRF token, not no-store."""
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.cookies
        and "no-store" not in response.get("Cache-Control", "")
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and (session is None or not session.modified)
    )
