"""Which bookings models are audited, and which of their fields are never logged."""

from clinic.audit import audited

audited(
    "bookings.Appointment",
    masked=("patient_name", "patient_email", "patient_phone", "notes", "clinical_note"),
)
audited("bookings.DiscountCode")
