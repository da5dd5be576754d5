"""What each back-office role may do with self-assessments (collected by ``clinic.roles``).

Receptionists get only the call-back queue (name, phone, level; no answers): health answers
are for clinicians. Practitioners see the assessments their patients shared through
``bookings``' ``view_linked_assessment``.
"""

from clinic.roles import ALL_ACTIONS, Grant, Role, grant

grant(
    Grant(Role.CLINIC_MANAGER, "assessments", actions=ALL_ACTIONS),
    Grant(Role.CLINIC_MANAGER, "assessments", codename="read_callback_answers"),
    # The red-flag call-back queue (assessments/callbacks.py): name, phone and level for all;
    # the answers only for clinicians.
    Grant(Role.RECEPTIONIST, "assessments", "callback", ("view", "change")),
    Grant(Role.PRACTITIONER, "assessments", "callback", ("view", "change")),
    Grant(Role.PRACTITIONER, "assessments", codename="read_callback_answers"),
    # Anonymous outcome counts: no answers, no identifiers; clinicians watch the tool's results.
    Grant(Role.PRACTITIONER, "assessments", "outcomecount", ("view",)),
)
