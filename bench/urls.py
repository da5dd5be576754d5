"""The site's URLs plus a view that does no work: the throughput ceiling on this machine."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path

from clinic.urls import urlpatterns as site_urlpatterns


def noop(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


def noop_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"slots": []})


urlpatterns = [
    path("bench/noop/", noop),
    path("bench/noop.json", noop_json),
    *site_urlpatterns,
]
