"""What each back-office role may do with patient records (collected by ``clinic.roles``)."""

from clinic.roles import ALL_ACTIONS, Grant, Role, grant

grant(
    Grant(Role.RECEPTIONIST, "patients", actions=ALL_ACTIONS),
    Grant(Role.CLINIC_MANAGER, "patients", actions=ALL_ACTIONS),
)

grant(Grant(Role.PRACTITIONER, "patients", "patient", ("view",)))
