"""Whole-page caching for what anonymous visitors read: the home page and the articles.

Most patients arrive on an article from a search engine, never logged in and without a
session. Their pages are the same for everyone, so they are rendered once and then served from
two tiers:

* the shared cache (Redis in production), until an article changes or ``PAGE_CACHE_SECONDS``
  pass, which also bounds how late a scheduled article appears;
* each process's own memory for ``PAGE_CACHE_LOCAL_SECONDS`` (a few seconds), so a page that
  is being read right now costs no network round trip at all. An edit reaches every process
  within those few seconds.

Anyone with a session (staff previewing drafts, a patient mid-booking) always gets a freshly
rendered page. If the cache is down, pages are rendered as if there were no cache, and while the
Redis breaker is open (``clinic.breaker``) the cache is not even asked.

A page is stored under its scheme, host and path plus only the query parameters that page
reads (``params``, e.g. ``page`` on the article list): ``/?utm_source=x`` and ``/`` are one
entry, so junk query strings cannot fill Redis with copies of the same page. Each parameter
comes with the pattern of its canonical values (``PAGE_NUMBER``): ``?page=02``, ``?page=+2``
or a repeated ``page`` show the same page as ``?page=2`` and are rendered, never stored, so no
spelling of a value makes a new entry either.
"""

import hashlib
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from clinic.breaker import cache_breaker

logger = logging.getLogger(__name__)

VERSION_KEY = "page-cache:version"
LOCAL_MAX_PAGES = 200
#: A page number as the site writes it in its own links: no sign, no leading zero.
PAGE_NUMBER = r"[1-9][0-9]{0,3}"

# url digest -> (stored at, status, headers, content); most recently used last.
_local: "OrderedDict[str, tuple[float, int, dict[str, str], bytes]]" = OrderedDict()


def page_cache_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def page_cache_invalidate(**_signal_kwargs) -> None:
    """Forget every cached page: called whenever published content changes."""
    _local.clear()
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # no version yet: nothing is cached under one either
            cache.add(VERSION_KEY, 1, timeout=None)
    except Exception:
        # Saving an article must not fail because Redis is down; pages expire on their own.
        logger.warning("Page cache unavailable; pages expire on their own", exc_info=True)


def _cacheable(request: HttpRequest) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "q" not in request.GET
    )


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    """Only a plain public page: nothing personal, no cookie, no CSRF token, not no-store."""
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "no-store" not in response.get("Cache-Control", "")
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and (session is None or not session.modified)
    )


def _from_parts(status: int, headers: dict[str, str], content: bytes) -> HttpResponse:
    # A new response each time: middleware adds per-request headers to what it returns.
    return HttpResponse(content, status=status, headers=headers)


def _local_get(digest: str) -> HttpResponse | None:
    entry = _local.get(digest)
    if entry is None or time.monotonic() - entry[0] > settings.PAGE_CACHE_LOCAL_SECONDS:
        return None
    _local.move_to_end(digest)
    return _from_parts(*entry[1:])


def _local_put(digest: str, parts: tuple[int, dict[str, str], bytes]) -> None:
    if settings.PAGE_CACHE_LOCAL_SECONDS <= 0:
        return
    _local[digest] = (time.monotonic(), *parts)
    _local.move_to_end(digest)
    while len(_local) > LOCAL_MAX_PAGES:
        _local.popitem(last=False)


def _canonical_query(request: HttpRequest, params: dict[str, str]) -> bool:
    """Whether each parameter the page reads appears at most once, spelt canonically."""
    for name, pattern in params.items():
        values = request.GET.getlist(name)
        if len(values) > 1 or (values and not re.fullmatch(pattern, values[0])):
            return False
    return True


def page_cache_key_source(request: HttpRequest, params: dict[str, str]) -> str:
    """What identifies a page: scheme, host and path, and the values of ``params`` only."""
    query = "&".join(
        f"{name}={request.GET[name]}" for name in sorted(params) if name in request.GET
    )
    return f"{request.scheme}://{request.get_host()}{request.path}?{query}"


def cache_public_page(
    view: Callable[..., HttpResponse] | None = None, *, params: dict[str, str] | None = None
) -> Callable[..., HttpResponse]:
    """Serve ``view`` from the page cache.

    ``params``: the query parameters the page reads, each with the pattern of its canonical
    values. Use as ``@cache_public_page`` or
    ``cache_public_page(view, params={"page": PAGE_NUMBER})``.
    """
    params = params or {}
    if view is None:
        return lambda actual: cache_public_page(actual, params=params)

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _cacheable(request) or not _canonical_query(request, params):
            return view(request, *args, **kwargs)
        digest = hashlib.sha256(page_cache_key_source(request, params).encode()).hexdigest()
        response = _local_get(digest)
        if response is not None:
            return response
        if not cache_breaker.allows():
            # Redis is known to be down: render, and do not reach for the cache again.
            return view(request, *args, **kwargs)
        key = f"page-cache:page:v2:{digest}"  # v2: (version, (status, headers, content))
        try:
            # One round trip: the current version and the stored page, which records the
            # version it was rendered under. A page from before the last change is a miss.
            found = cache.get_many([VERSION_KEY, key])
            if not cache_breaker.allows():  # that call failed: the cache is down
                return view(request, *args, **kwargs)
            version = found.get(VERSION_KEY) or page_cache_version()
        except Exception:
            logger.warning("Page cache unavailable; rendering the page", exc_info=True)
            return view(request, *args, **kwargs)
        stored = found.get(key)
        if stored is not None and stored[0] == version:
            _local_put(digest, stored[1])
            return _from_parts(*stored[1])

        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if _storable(request, response):
            patch_cache_control(response, public=True, max_age=60)
            parts = (response.status_code, dict(response.headers), response.content)
            try:
                cache.set(key, (version, parts), settings.PAGE_CACHE_SECONDS)
            except Exception:
                logger.warning("Page cache unavailable; page not stored", exc_info=True)
            _local_put(digest, parts)
        return response

    return wrapped
