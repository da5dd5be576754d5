from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """UK GDPR duties: subject access, erasure and retention of patient data."""

    name = "clinic.privacy"
    label = "privacy"
    verbose_name = "Privacy (UK GDPR)"
