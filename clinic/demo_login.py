"""The demo staff login that ``seed_demo`` creates, and the rule that it never works in production.

Its password and second-factor key are printed by ``make run`` and written in this repository,
so anyone can sign in with them. ``seed_demo`` refuses to run unless ``DEBUG`` is on, but a
database seeded on a developer's machine (or by ``make run`` pointed at the wrong database) can
still reach production: there the sign-in form refuses this login whatever its rows say.
"""

from django.conf import settings

DEMO_USERNAME = "demo-admin"
DEMO_PASSWORD = "demo-admin-password-local-only"  # noqa: S105 - printed, for local use only

# A fixed, published key: the demo login is for a developer's machine only.
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"
DEMO_TOTP_URL = "otpauth://totp/Clinic%20demo:demo-admin?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"


def demo_login_refused(*, username: str, device_key: str | None) -> bool:
    """Whether this sign-in uses the published demo login while ``DEBUG`` is off."""
    if settings.DEBUG:
        return False
    return username == DEMO_USERNAME or device_key == DEMO_TOTP_KEY
