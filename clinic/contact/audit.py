"""Contact messages are audited; what the patient wrote is never logged."""

from clinic.audit import audited

audited("contact.ContactMessage", masked=("name", "email", "phone", "message", "internal_note"))
