"""The contact form and its thank-you page."""

from django.urls import path

from . import views

app_name = "contact"

urlpatterns = [
    path("", views.contact_form, name="form"),
    path("thanks/", views.contact_thanks, name="thanks"),
]
