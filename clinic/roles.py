"""The back office's roles, as groups with permissions, kept in step with the code.

Each app says what each role may do with its own models in its ``roles.py`` (discovered like
``admin.py``); this module only collects those grants and keeps the groups equal to them.
``roles_sync`` runs after every ``migrate`` (``post_migrate``), so a new model's permissions
reach the roles on the deploy that adds it. Changes made to these groups in the admin are put
back at the next migrate: give a person extra rights with a further group or on their user.

* **Receptionist** runs the day: appointments (book by phone, move, cancel, mark attended),
  time off, the waitlist, discount codes and contact messages. Not self-assessments: health
  answers are for clinicians.
* **Practitioner** sees their own diary (appointments whose practitioner is linked to their user)
  and the self-assessments their patients chose to share with them, read-only.
* **Clinic manager**: everything in bookings, contact, assessments, articles and notifications;
  subject access and erasure requests; reading the audit log; resetting a staff member's
  authenticator (they set it up again at their next sign-in). Staff accounts stay with
  superusers: whoever can edit users can make themselves one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps as global_apps
from django.db import models
from django.db.models import Q
from django.utils.module_loading import autodiscover_modules

EVERY_MODEL = "*"
ALL_ACTIONS = ("view", "add", "change", "delete")


class Role(models.TextChoices):
    """The back-office roles; each is a group of the same name."""

    RECEPTIONIST = "Receptionist"
    PRACTITIONER = "Practitioner"
    CLINIC_MANAGER = "Clinic manager"


@dataclass(frozen=True)
class Grant:
    """What one role may do: ``actions`` on ``model`` of ``app_label`` (``*``: every model),
    or, with ``codename``, one custom permission of the app."""

    role: Role
    app_label: str
    model: str = EVERY_MODEL
    actions: tuple[str, ...] = ()
    codename: str = ""

    def permission_filter(self) -> Q:
        if self.codename:
            return Q(content_type__app_label=self.app_label, codename=self.codename)
        codenames = Q(pk__in=[])
        for action in self.actions:
            codenames |= (
                Q(codename__startswith=f"{action}_")
                if self.model == EVERY_MODEL
                else Q(codename=f"{action}_{self.model}")
            )
        scope = Q(content_type__app_label=self.app_label) & codenames
        if self.model != EVERY_MODEL:
            scope &= Q(content_type__model=self.model)
        return scope


_grants: dict[Grant, None] = {}


def grant(*grants: Grant) -> None:
    """Declare grants; called by each app's ``roles.py`` when it is imported."""
    for one in grants:
        _grants[one] = None


def grants_collect() -> list[Grant]:
    """Every app's grants, after importing each app's ``roles.py``."""
    autodiscover_modules("roles")
    return list(_grants)


def roles_sync(*, apps=global_apps) -> None:
    """Create each role's group if need be and give it exactly its permissions."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    grants = grants_collect()
    for role in Role:
        query = Q(pk__in=[])
        for one in grants:
            if one.role == role:
                query |= one.permission_filter()
        group, _created = Group.objects.get_or_create(name=role.value)
        group.permissions.set(Permission.objects.filter(query))


def roles_sync_after_migrate(sender, apps=global_apps, using="default", **kwargs) -> None:
    """``post_migrate`` receiver: sync the roles once, after the last app with models.

    Permissions of every app are created first (what ``django.contrib.auth`` does anyway, and
    idempotent), so roles see apps that come later in ``INSTALLED_APPS``. Everything goes
    through ``apps``, the state the migrations reached, so migrating part of the way works.
    """
    from django.contrib.auth.management import create_permissions

    with_models = [config for config in global_apps.get_app_configs() if config.models_module]
    if not with_models or sender.label != with_models[-1].label:
        return
    try:
        apps.get_model("auth", "Permission")
        apps.get_model("contenttypes", "ContentType")
    except LookupError:
        return
    for app_config in with_models:
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
    roles_sync(apps=apps)


# The clinic app's own grants: managers see staff authenticators and may reset them
# (``clinic/admin.py``); adding or editing one stays impossible in the admin.
grant(Grant(Role.CLINIC_MANAGER, "otp_totp", "totpdevice", ("view", "delete")))
