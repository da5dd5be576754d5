"""The patient's booking journey, at /book/."""

from django.urls import path

from . import views

app_name = "bookings"

urlpatterns = [
    path("", views.start, name="start"),
    path("details/", views.details, name="details"),
    path("review/", views.review, name="review"),
    path("confirmed/<slug:reference>/", views.confirmed, name="confirmed"),
    path("confirmed/<slug:reference>/appointment.ics", views.calendar_file, name="calendar_file"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("manage/<str:token>/cancel/", views.manage_cancel, name="manage_cancel"),
    path("manage/<str:token>/move/", views.manage_move, name="manage_move"),
    path(
        "manage/<str:token>/appointment.ics",
        views.manage_calendar_file,
        name="manage_calendar_file",
    ),
    path("waitlist/", views.waitlist, name="waitlist"),
    path("waitlist/joined/", views.waitlist_joined, name="waitlist_joined"),
    path("waitlist/offer/<str:token>/", views.waitlist_offer, name="waitlist_offer"),
    path("feed/<str:token>.ics", views.practitioner_feed, name="feed"),
    # Last: a service's slug is the page's address, so the words above are reserved slugs
    # (bookings.models.RESERVED_SERVICE_SLUGS).
    path("<slug:service_slug>/", views.slots, name="slots"),
]
