"""Response headers that Django's own SecurityMiddleware does not set.

- ``Permissions-Policy``: the site needs no camera, microphone, location or payment API.
- ``Cache-Control: no-store`` on pages that show health answers or one patient's appointment,
  and on the admin, so that no shared computer's browser cache or proxy keeps a copy.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
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
    return ("/assessment/", "/book/manage/", f"/{settings.ADMIN_URL}", "/api/")


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
