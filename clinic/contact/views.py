"""The contact page and its thank-you page."""

import logging
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited
from django_ratelimit.exceptions import Ratelimited

from .forms import ContactForm
from .services import contact_message_create

logger = logging.getLogger(__name__)

SUBMISSION_RATE = "5/10m"


def ratelimit_failing_open(*, group: str, rate: str, method: str = "POST"):
    """django-ratelimit's per-IP limit, except that a cache outage lets the request through.

    The cache is Redis in production; if Redis is down a patient must still be able to write
    to the clinic (the message is saved in the database), so an error counting the request is
    logged and ignored rather than turned into an error page.
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


@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit_failing_open(group="contact.form", rate=SUBMISSION_RATE)
def contact_form(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ContactForm(request.POST)
        if form.is_valid():
            if form.is_spam():
                logger.info("Contact form honeypot filled in; message dropped")
            else:
                contact_message_create(**form.service_kwargs())
            return redirect("contact:thanks")
    else:
        form = ContactForm()
    return render(request, "contact/form.html", {"form": form})


@require_GET
def contact_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "contact/thanks.html")
