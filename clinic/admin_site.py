"""The back office's admin site: every page needs a password *and* a second factor (TOTP).

Staff sign in in one step (username, password, code; ``clinic.signin``). On their first
sign-in, or after a manager reset their authenticator, they scan a QR code on the page and
type the first code. ``manage.py staff_totp_enrol <username>`` still works from a shell.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django_otp.admin import OTPAdminSite

from clinic.signin import StaffSignInForm, enrol


class ClinicAdminSite(OTPAdminSite):
    site_header = f"{settings.CLINIC_NAME} back office"
    site_title = settings.CLINIC_NAME
    index_title = "Diary, patients and content"
    login_form = StaffSignInForm
    login_template = "admin/clinic/login.html"

    def __init__(self, name: str = "admin") -> None:
        # Keep the usual "admin" namespace, so reverse("admin:...") works everywhere.
        super().__init__(name)

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        response = super().login(request, extra_context)
        form = getattr(response, "context_data", {}) or {}
        form = form.get("form")
        if getattr(form, "enrolment_started", False):
            return redirect(reverse(f"{self.name}:staff_enrol"))
        return response

    def get_urls(self):
        return [
            path("enrol/", lambda request: enrol(request, site=self), name="staff_enrol"),
            *super().get_urls(),
        ]
