"""What each back-office role may do with the email outbox (collected by ``clinic.roles``)."""

from clinic.roles import ALL_ACTIONS, Grant, Role, grant

grant(Grant(Role.CLINIC_MANAGER, "notifications", actions=ALL_ACTIONS))
