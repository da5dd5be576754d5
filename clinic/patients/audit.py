"""Patient records are audited; their identifiers and alert note are never logged."""

from clinic.audit import audited

audited(
    "patients.Patient",
    masked=(
        "name",
        "email",
        "email_normalised",
        "phone",
        "phone_normalised",
        "date_of_birth",
        "alert_note",
    ),
)
