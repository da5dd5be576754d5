"""JSON API for slots and bookings (documented in the README)."""

from django.urls import path, re_path

from . import api

app_name = "api"

urlpatterns = [
    path("slots/", api.slots, name="slots"),
    path("bookings/", api.bookings, name="bookings"),
    # Anything else under /api/ answers JSON too, not the site's HTML 404 page.
    re_path(r"^(?P<path>.*)$", api.not_found, name="not_found"),
]
