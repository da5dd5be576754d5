"""What each back-office role may do with contact messages (collected by ``clinic.roles``)."""

from clinic.roles import ALL_ACTIONS, Grant, Role, grant

grant(
    # Reception answers messages; deleting one (and its emails) is an erasure, the manager's.
    Grant(Role.RECEPTIONIST, "contact", actions=("view", "change")),
    Grant(Role.CLINIC_MANAGER, "contact", actions=ALL_ACTIONS),
)
