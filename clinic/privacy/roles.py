"""Who handles data subject requests and reads the audit log (collected by ``clinic.roles``)."""

from clinic.roles import Grant, Role, grant

grant(
    Grant(Role.CLINIC_MANAGER, "privacy", "datasubjectrequest", ("view", "add")),
    Grant(Role.CLINIC_MANAGER, "auditlog", "logentry", ("view",)),
)
