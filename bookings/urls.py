"""Patient booking journey. Placeholder until the booking work lands (issue 4)."""

from django.urls import path
from django.views.generic import TemplateView

app_name = "bookings"

urlpatterns = [
    path("", TemplateView.as_view(template_name="bookings/start.html"), name="start"),
]
