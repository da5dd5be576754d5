from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class ClinicConfig(AppConfig):
    """The site's own pages, template tags and project-wide management commands."""

    name = "clinic"
    verbose_name = "Clinic site"

    def ready(self) -> None:
        from clinic.audit import audit_register

        audit_register()


class ClinicAdminConfig(AdminConfig):
    """Django's admin, with the two-factor site as ``admin.site``."""

    default_site = "clinic.admin_site.ClinicAdminSite"
