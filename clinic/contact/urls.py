"""The contact form. Placeholder until issue 3 lands."""

from django.urls import path
from django.views.generic import TemplateView

app_name = "contact"

urlpatterns = [
    path("", TemplateView.as_view(template_name="contact/form.html"), name="form"),
]
