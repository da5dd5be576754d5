"""The site's URLs plus a view that does no work: the throughput ceiling on this machine."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from clinic.urls import urlpatterns as site_urlpatterns


def noop(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/noop/", noop), *site_urlpatterns]
