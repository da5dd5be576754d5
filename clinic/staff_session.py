"""Staff sessions last a shift: renewed while someone is active, never beyond an absolute cap.

Django's session cookie expires ``SESSION_COOKIE_AGE`` after it was last saved. For staff the
session is saved again (renewed) at most every ``STAFF_SESSION_RENEW_SECONDS`` while they use
the site, so an active receptionist is not signed out mid-shift; the time of sign-in is kept,
and ``STAFF_SESSION_MAX_AGE`` after it the session ends whatever the activity (a shared desk
computer left signed in overnight).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

SIGNED_IN_AT = "clinic_signed_in_at"
RENEWED_AT = "clinic_renewed_at"


def staff_signed_in(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver: the absolute cap counts from here."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SIGNED_IN_AT] = now
        request.session[RENEWED_AT] = now


class StaffSessionMiddleware:
    """After the authentication middleware: renew an active staff session, end an old one."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            now = time.time()
            session = request.session
            signed_in_at = session.get(SIGNED_IN_AT)
            if signed_in_at is None:
                session[SIGNED_IN_AT] = signed_in_at = now
            if now - signed_in_at > settings.STAFF_SESSION_MAX_AGE:
                logout(request)
                return redirect(f"{reverse('admin:login')}?next={request.path}")
            if now - session.get(RENEWED_AT, 0) > settings.STAFF_SESSION_RENEW_SECONDS:
                session[RENEWED_AT] = now  # modified: saved with a fresh expiry
        return self.get_response(request)
