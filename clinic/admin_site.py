"""The back office's admin site: every page needs a password *and* a second factor (TOTP).

Staff enrol an authenticator app with ``manage.py staff_totp_enrol <username>`` (or a manager
adds a TOTP device for them in the admin). Until then they cannot open any admin page.
"""

from django.conf import settings
from django_otp.admin import OTPAdminSite


class ClinicAdminSite(OTPAdminSite):
    site_header = f"{settings.CLINIC_NAME} back office"
    site_title = settings.CLINIC_NAME
    index_title = "Diary, patients and content"

    def __init__(self, name: str = "admin") -> None:
        # Keep the usual "admin" namespace, so reverse("admin:...") works everywhere.
        super().__init__(name)
