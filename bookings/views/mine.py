"""My bookings: ask for a link by email, then see every booking made with that address.

No password: the link is signed, expires after ``MY_BOOKINGS_LINK_HOURS`` and goes only to the
address typed. The page after asking says the same whether or not the address has booked here,
and asking is rate limited per client, so the form cannot be used to learn who is a patient.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from clinic.ratelimits import rate_limit

from ..selectors import appointment_list_for_email
from ..services import my_bookings_link_send
from ..tokens import TokenInvalid, manage_token_make, my_bookings_token_read
from .common import LinkProblem, link_problems


class MyBookingsForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("The one you booked with. We will email you a link to your bookings."),
        error_messages={
            "required": _("Enter the email address you booked with"),
            "invalid": _("Enter an email address like name@example.com"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("send", _("Email me a link")))


@require_http_methods(["GET", "POST"])
@rate_limit(group="bookings.views.my_bookings", rate="5/10m", method="POST")
def my_bookings(request: HttpRequest) -> HttpResponse:
    """Ask for the link. Known or not, the address gets the same answer."""
    form = MyBookingsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        my_bookings_link_send(email=form.cleaned_data["email"])
        return redirect("bookings:my_bookings_sent")
    return render(request, "bookings/mine.html", {"form": form}, status=400 if form.errors else 200)


@require_GET
def my_bookings_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "bookings/mine_sent.html")


@never_cache
@require_GET
@rate_limit(group="bookings.views.my_bookings_list", rate="60/m")
@link_problems
def my_bookings_list(request: HttpRequest, token: str) -> HttpResponse:
    """Every booking made with the link's address, with manage, rebook and calendar actions."""
    try:
        email = my_bookings_token_read(token)
    except signing.SignatureExpired as exc:
        raise LinkProblem(
            status=410,
            title=_("This link has expired"),
            message=_("Links to your bookings work for a day. Ask for a new one below."),
        ) from exc
    except TokenInvalid as exc:
        raise LinkProblem(
            status=404,
            title=_("This link does not work"),
            message=_("It may have been copied incompletely. Ask for a new one below."),
        ) from exc
    upcoming, past = appointment_list_for_email(email=email)
    return render(
        request,
        "bookings/mine_list.html",
        {
            "email": email,
            "upcoming": [
                (a, manage_token_make(appointment_id=a.pk, version=a.version)) for a in upcoming
            ],
            "past": past,
        },
    )
