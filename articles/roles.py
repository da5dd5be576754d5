"""What each back-office role may do with articles (collected by ``clinic.roles``)."""

from clinic.roles import ALL_ACTIONS, Grant, Role, grant

grant(Grant(Role.CLINIC_MANAGER, "articles", actions=ALL_ACTIONS))
