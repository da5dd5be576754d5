"""The patient's booking journey, at /book/."""

from django.urls import path

from .views import feeds, journey, manage, mine, pages, practitioners, waitlist

app_name = "bookings"

urlpatterns = [
    path("", journey.start, name="start"),
    path("details/", journey.details, name="details"),
    path("review/", journey.review, name="review"),
    path("taken/", journey.taken, name="taken"),
    path("confirmed/<slug:reference>/", journey.confirmed, name="confirmed"),
    path("confirmed/<slug:reference>/appointment.ics", journey.calendar_file, name="calendar_file"),
    path("manage/<str:token>/", manage.manage, name="manage"),
    path("manage/<str:token>/cancel/", manage.manage_cancel, name="manage_cancel"),
    path("manage/<str:token>/move/", manage.manage_move, name="manage_move"),
    path("manage/<str:token>/confirm/", manage.manage_confirm, name="manage_confirm"),
    path(
        "manage/<str:token>/appointment.ics",
        manage.manage_calendar_file,
        name="manage_calendar_file",
    ),
    path("mine/", mine.my_bookings, name="my_bookings"),
    path("mine/sent/", mine.my_bookings_sent, name="my_bookings_sent"),
    path("mine/<str:token>/", mine.my_bookings_list, name="my_bookings_list"),
    path("with/", practitioners.practitioner_list, name="practitioners"),
    path("with/<slug:slug>/", practitioners.practitioner_detail, name="practitioner"),
    path("cancellation-policy/", pages.cancellation_policy, name="cancellation_policy"),
    path("waitlist/", waitlist.waitlist, name="waitlist"),
    path("waitlist/joined/", waitlist.waitlist_joined, name="waitlist_joined"),
    path("waitlist/offer/<str:token>/", waitlist.waitlist_offer, name="waitlist_offer"),
    path("feed/<str:token>.ics", feeds.practitioner_feed, name="feed"),
    # Last: a service's slug is the page's address, so the words above are reserved slugs
    # (bookings.models.RESERVED_SERVICE_SLUGS).
    path("<slug:service_slug>/", journey.slots, name="slots"),
]
