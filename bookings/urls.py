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
    path("<slug:service_slug>/", views.slots, name="slots"),
]
