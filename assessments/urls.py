"""The self-assessment questionnaire. Placeholder until issue 5 lands."""

from django.urls import path
from django.views.generic import TemplateView

app_name = "assessments"

urlpatterns = [
    path("", TemplateView.as_view(template_name="assessments/start.html"), name="start"),
]
