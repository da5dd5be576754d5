"""The back office's roles, as groups with permissions, kept in step with the code.

``roles_sync`` runs after every ``migrate`` (``post_migrate``), so a new model's permissions
reach the roles on the deploy that adds it. The groups are defined here, in review, not in the
admin: changes made to these three groups in the admin are put back at the next migrate. Give a
person extra rights with a further group or on their user, not by editing these.

* **Receptionist** runs the day: appointments (book by phone, move, cancel, mark attended),
  time off, the waitlist, discount codes and contact messages. Not self-assessments: health
  answers are for clinicians.
* **Practitioner** sees their own diary (appointments whose practitioner is linked to their user)
  and the self-assessments their patients chose to share with them, read-only.
* **Clinic manager**: everything in bookings, contact, assessments, articles and notifications;
  subject access and erasure requests; reading the audit log. Staff accounts and their
  authenticator devices stay with superusers: whoever can edit users can make themselves one.
"""

from django.apps import apps as global_apps
from django.db.models import Q

RECEPTIONIST = "Receptionist"
PRACTITIONER = "Practitioner"
CLINIC_MANAGER = "Clinic manager"

# (app label, model or "*" for every model of the app, actions); custom codenames in EXTRA.
ROLE_PERMISSIONS: dict[str, dict] = {
    RECEPTIONIST: {
        "models": [
            ("bookings", "appointment", ("view", "add", "change")),
            ("bookings", "appointmentstatuschange", ("view",)),
            ("bookings", "service", ("view",)),
            ("bookings", "practitioner", ("view",)),
            ("bookings", "workinghours", ("view",)),
            ("bookings", "timeoff", ("view", "add", "change", "delete")),
            ("bookings", "waitlistentry", ("view", "change", "delete")),
            ("bookings", "discountcode", ("view", "add", "change")),
            ("bookings", "discountredemption", ("view",)),
            ("contact", "*", ("view", "add", "change", "delete")),
        ],
        "extra": [("bookings", "view_all_appointments")],
    },
    PRACTITIONER: {
        "models": [
            ("bookings", "appointment", ("view",)),
            ("bookings", "appointmentstatuschange", ("view",)),
            ("bookings", "service", ("view",)),
            ("assessments", "outcomecount", ("view",)),
        ],
        "extra": [("bookings", "view_linked_assessment")],
    },
    CLINIC_MANAGER: {
        "models": [
            (app, "*", ("view", "add", "change", "delete"))
            for app in ("bookings", "contact", "assessments", "articles", "notifications")
        ]
        + [
            ("privacy", "datasubjectrequest", ("view", "add")),
            ("auditlog", "logentry", ("view",)),
        ],
        "extra": [
            ("bookings", "view_all_appointments"),
            ("bookings", "view_linked_assessment"),
        ],
    },
}


def _permission_filter(spec: dict) -> Q:
    query = Q(pk__in=[])
    for app_label, model, actions in spec["models"]:
        codenames = Q()
        for action in actions:
            codenames |= (
                Q(codename__startswith=f"{action}_")
                if model == "*"
                else Q(codename=f"{action}_{model}")
            )
        scope = Q(content_type__app_label=app_label) & codenames
        if model != "*":
            scope &= Q(content_type__model=model)
        query |= scope
    for app_label, codename in spec["extra"]:
        query |= Q(content_type__app_label=app_label, codename=codename)
    return query


def roles_sync(*, apps=global_apps) -> None:
    """Create the three groups if need be and give each exactly its permissions."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, spec in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(Permission.objects.filter(_permission_filter(spec)))


def roles_sync_after_migrate(sender, using="default", **kwargs) -> None:
    """``post_migrate`` receiver for the bookings app.

    Apps later in ``INSTALLED_APPS`` (assessments) get their permissions only after this runs,
    so it creates every app's permissions first (what ``django.contrib.auth`` does anyway; it
    is idempotent) and then syncs the roles.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    roles_sync()
