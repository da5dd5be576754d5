from django.apps import AppConfig


class ContactConfig(AppConfig):
    """Messages patients send through the contact form."""

    name = "clinic.contact"
    label = "contact"
    verbose_name = "Contact messages"
