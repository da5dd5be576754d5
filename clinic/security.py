"""Request checks and response headers that Django's own SecurityMiddleware does not provide.

- A NUL character in a query string is refused with a 400: no person types one, and
  PostgreSQL refuses any query that carries it, which would otherwise be a server error.
- ``Permissions-Policy``: the site needs no camera, microphone, location or payment API.
- ``Cache-Control: no-store`` on every page that shows personal data (health answers, a
  patient's details or appointment, the admin), so that no shared computer's browser cache or
  proxy keeps a copy.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_cache_control

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


def no_store_prefixes() -> tuple[str, ...]:
    """Every page that may show personal data: health answers, a patient's details (the booking
    steps re-render name, email, phone and notes), an appointment, a patient's list of bookings
    and the form asking for it (which shows the address typed), the contact form with what was
    typed, a practitioner's diary feed, the admin and the API."""
    return (
        "/assessment/",
        "/book/details/",
        "/book/review/",
        "/book/confirmed/",
        "/book/manage/",
        "/book/mine/",
        "/book/waitlist/",
        "/book/feed/",
        "/contact/",
        f"/{settings.ADMIN_URL}",
        "/api/",
    )


class SecurityHeadersMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.prefixes = no_store_prefixes()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if request.path.startswith(self.prefixes):
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response


class RejectNullCharactersMiddleware:
    """A NUL character in the query string gets a clean 400.

    Views read query parameters (a slug, a date) and look them up directly; PostgreSQL refuses
    any query carrying a NUL, which would otherwise be a server error. Form posts are left to
    their forms, whose fields already refuse NUL with a message next to the field.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"error": "bad_request", "message": "The request contains a NUL character."},
                    status=400,
                )
            return render(request, "400.html", status=400)
        return self.get_response(request)
