from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.db.models.signals import post_migrate


class ClinicConfig(AppConfig):
    """The site's own pages, template tags and project-wide management commands."""

    name = "clinic"
    verbose_name = "Clinic site"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from clinic.audit import audit_register
        from clinic.roles import roles_sync_after_migrate
        from clinic.staff_session import staff_signed_in

        audit_register()
        post_migrate.connect(roles_sync_after_migrate, dispatch_uid="clinic.roles_sync")
        user_logged_in.connect(staff_signed_in, dispatch_uid="clinic.staff_signed_in")


class ClinicAdminConfig(AdminConfig):
    """Django's admin, with the two-factor site as ``admin.site``."""

    default_site = "clinic.admin_site.ClinicAdminSite"
