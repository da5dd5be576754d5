"""Per-client rate limits for public forms and the API, through django-ratelimit.

Clients are told apart by their real address (``clinic.client_ip``, which ignores a spoofed
``X-Forwarded-For``). Counts live in the cache, which is Redis in production. If Redis is down,
a patient must still be able to write to the clinic, book or finish their self-assessment (the
work is saved in the database), so a failure to count is logged and the request let through
rather than turned into an error page. ``RATE_LIMITS_ENABLED=false`` turns every limit off.

Every limited view in every app uses ``rate_limit`` from here: a lint rule (ruff's banned-api,
in pyproject.toml) refuses django-ratelimit's own decorator anywhere else, since it turns a
Redis outage into a 500.
"""

import logging
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited
from django_ratelimit.exceptions import Ratelimited

logger = logging.getLogger(__name__)


def rate_limit(*, group: str, rate, method=ALL):
    """Limit a view to ``rate`` requests (e.g. ``"5/10m"``) per client, counted per ``group``.

    ``rate`` may also be a callable ``(group, request) -> rate or None`` (None: no limit), such
    as ``rate_per_day_from_setting``. ``method`` is the HTTP method, or a list of them, that
    counts (default: all). Over the
    limit, ``Ratelimited`` is raised and the middleware answers with ``RATELIMIT_VIEW``: a
    friendly 429 page, or JSON under ``/api/``.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            try:
                limited = is_ratelimited(
                    request, group=group, key="ip", rate=rate, method=method, increment=True
                )
            except Exception:
                logger.warning("Rate limit check failed; letting the request in", exc_info=True)
                limited = False
            if limited:
                raise Ratelimited()
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def rate_per_day_from_setting(name: str):
    """A ``rate`` read from the setting ``name`` (a count per day) at each request; 0 is none.

    For limits that operators tune, and that tests change with ``settings``.
    """

    def rate(group: str, request: HttpRequest) -> str | None:
        from django.conf import settings

        count = getattr(settings, name)
        return f"{count}/d" if count > 0 else None

    return rate
