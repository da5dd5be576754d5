"""Error answers that must work when the rest of the site cannot.

* ``DatabaseUnavailableMiddleware`` and ``server_error`` (the 500 handler): when PostgreSQL is
  down, restarting or drops a connection, the patient gets a 503 page with the clinic's phone
  number and the 999 / NHS 111 advice (JSON under ``/api/``), not "something went wrong". The
  middleware catches what a view raises; the handler catches the rest (a session saved in a
  middleware, say). Both render without the database: no request context, no session, no user.
* ``bad_request`` (the 400 handler): a plain page that never looks at the request. A request
  with a disallowed ``Host`` header arrives here, and asking for the host again would raise
  again.
"""

import logging
import sys

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.views.defaults import server_error as django_server_error

from clinic.context_processors import clinic as clinic_context

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 answer, built from settings alone."""
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {
                "error": "unavailable",
                "message": "The booking system is briefly unavailable. Please try again shortly.",
            },
            status=503,
        )
    else:
        content = render_to_string(
            "503.html",
            {
                "clinic_name": settings.CLINIC_NAME,
                "clinic_phone": settings.CLINIC_PHONE,
            },
        )
        response = HttpResponse(content, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    """A view that loses the database answers 503, not 500. Place it early in MIDDLEWARE."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.error("Database unavailable: %s", exception, exc_info=exception)
            return service_unavailable(request)
        return None


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database outage anywhere in the request is a 503; anything else a 500."""
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_ERRORS):
        return service_unavailable(request)
    return django_server_error(request)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400. A disallowed ``Host`` gets plain text: nothing may read the host again.

    Anything else gets the friendly 400 page, rendered without the request for the same reason.
    """
    if isinstance(exception, DisallowedHost):
        return HttpResponseBadRequest(
            "Bad request: this site does not answer to that host name.\n",
            content_type="text/plain; charset=utf-8",
        )
    return HttpResponseBadRequest(render_to_string("400.html", clinic_context(None)))
