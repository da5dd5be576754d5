"""What each back-office role may do with self-assessments (collected by ``clinic.roles``).

Receptionists get nothing here: health answers are for clinicians. Practitioners see the
assessments their patients shared through ``bookings``' ``view_linked_assessment``.
"""

from clinic.roles import ALL_ACTIONS, Grant, Role, grant

grant(
    Grant(Role.CLINIC_MANAGER, "assessments", actions=ALL_ACTIONS),
    # Anonymous outcome counts: no answers, no identifiers; clinicians watch the tool's results.
    Grant(Role.PRACTITIONER, "assessments", "outcomecount", ("view",)),
)
