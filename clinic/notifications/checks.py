"""System checks: a misconfigured outbox is found at deploy time, not when a patient writes."""

from django.conf import settings
from django.core import checks

from .services import InvalidAddressError, addresses_clean


@checks.register(checks.Tags.compatibility)
def staff_notification_emails_check(app_configs, **kwargs) -> list[checks.CheckMessage]:
    recipients = list(getattr(settings, "STAFF_NOTIFICATION_EMAILS", []))
    if not recipients:
        return [
            checks.Error(
                "STAFF_NOTIFICATION_EMAILS is empty, so staff would never hear of a message.",
                hint="Set STAFF_NOTIFICATION_EMAILS to a comma-separated list of addresses.",
                id="notifications.E001",
            )
        ]
    try:
        addresses_clean(recipients)
    except InvalidAddressError as exc:
        return [
            checks.Error(
                f"STAFF_NOTIFICATION_EMAILS has an unusable address: {exc}",
                id="notifications.E002",
            )
        ]
    return []
