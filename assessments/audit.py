"""Self-assessments are audited; their answers and contact details are never logged."""

from clinic.audit import audited

audited(
    "assessments.Submission",
    masked=(
        "answers",
        "level",
        "rule_ids",
        "contact_name",
        "contact_email",
        "contact_phone",
        "call_note",
    ),
)
