from django.apps import AppConfig


class ClinicConfig(AppConfig):
    """The site's own pages, template tags and project-wide management commands."""

    name = "clinic"
    verbose_name = "Clinic site"

    def ready(self) -> None:
        from clinic.audit import audit_register

        audit_register()
