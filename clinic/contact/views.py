"""The contact page and its thank-you page."""

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from clinic.ratelimits import rate_limit

from .forms import ContactForm
from .services import contact_message_create

logger = logging.getLogger(__name__)

SUBMISSION_RATE = "5/10m"


@require_http_methods(["GET", "HEAD", "POST"])
@rate_limit(group="contact.form", rate=SUBMISSION_RATE, method="POST")
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
        form = ContactForm(initial=ContactForm.initial_for_topic(request.GET.get("topic")))
    return render(request, "contact/form.html", {"form": form})


@require_GET
def contact_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "contact/thanks.html")
