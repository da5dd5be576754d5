from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    """The symptom self-assessment with red-flag triage."""

    name = "assessments"
    verbose_name = "Self-assessments"
