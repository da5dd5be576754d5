"""What each back-office role may do with contact messages (collected by ``clinic.roles``)."""

from clinic.roles import ALL_ACTIONS, Grant, Role, grant

grant(
    Grant(Role.RECEPTIONIST, "contact", actions=ALL_ACTIONS),
    Grant(Role.CLINIC_MANAGER, "contact", actions=ALL_ACTIONS),
)
