"""What each back-office role may do with bookings (collected by ``clinic.roles``)."""

from clinic.roles import ALL_ACTIONS, Grant, Role, grant

_RECEPTION_MODELS = [
    ("appointment", ("view", "add", "change")),
    ("appointmentstatuschange", ("view",)),
    ("service", ("view",)),
    ("practitioner", ("view",)),
    ("workinghours", ("view",)),
    ("timeoff", ("view", "add", "change", "delete")),
    ("clinicclosure", ("view", "add", "change", "delete")),
    ("waitlistentry", ("view", "add", "change", "delete")),
    # Codes and percentages are the manager's: reception sees them, and their status.
    ("discountcode", ("view",)),
    ("discountredemption", ("view",)),
]

grant(
    *(Grant(Role.RECEPTIONIST, "bookings", model, actions) for model, actions in _RECEPTION_MODELS),
    Grant(Role.RECEPTIONIST, "bookings", codename="view_all_appointments"),
    Grant(Role.RECEPTIONIST, "bookings", codename="mark_attendance"),
    Grant(Role.PRACTITIONER, "bookings", "appointment", ("view",)),
    Grant(Role.PRACTITIONER, "bookings", "appointmentstatuschange", ("view",)),
    Grant(Role.PRACTITIONER, "bookings", "service", ("view",)),
    Grant(Role.PRACTITIONER, "bookings", "clinicclosure", ("view",)),
    Grant(Role.PRACTITIONER, "bookings", codename="view_linked_assessment"),
    # Their own appointments only (the admin's queryset shows them nothing else).
    Grant(Role.PRACTITIONER, "bookings", codename="mark_attendance"),
    Grant(Role.PRACTITIONER, "bookings", codename="write_clinical_note"),
    Grant(Role.PRACTITIONER, "bookings", codename="add_own_time_off"),
    Grant(Role.PRACTITIONER, "bookings", "timeoff", ("view",)),
    Grant(Role.CLINIC_MANAGER, "bookings", actions=ALL_ACTIONS),
    Grant(Role.CLINIC_MANAGER, "bookings", codename="view_all_appointments"),
    Grant(Role.CLINIC_MANAGER, "bookings", codename="view_linked_assessment"),
    Grant(Role.CLINIC_MANAGER, "bookings", codename="mark_attendance"),
    Grant(Role.CLINIC_MANAGER, "bookings", codename="write_clinical_note"),
    Grant(Role.CLINIC_MANAGER, "bookings", codename="view_reports"),
)
