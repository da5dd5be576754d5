"""Wagtail's admin, behind the back office's sign-in and second factor.

Every view Wagtail registers is wrapped: a visitor who is not signed in *with a verified
authenticator code* (django-otp, as for the Django admin in ``clinic/admin_site.py``) is sent to
the back office's sign-in page, whatever Wagtail's own permission checks would have allowed.
Wagtail's own sign-in and password pages are never reached.

The preview panel shows the patient-facing page in a frame of the editor, so these pages (and
only these) may be framed by the site itself.
"""

from functools import wraps

from csp.decorators import csp_replace
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.views.decorators.clickjacking import xframe_options_sameorigin
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns


def login_url() -> str:
    return f"/{settings.ADMIN_URL}login/"


def require_verified_staff(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not (user.is_authenticated and user.is_staff and user.is_verified()):
            return redirect_to_login(request.get_full_path(), login_url())
        return view(request, *args, **kwargs)

    return wrapped


def _guard(view):
    view = require_verified_staff(view)
    view = xframe_options_sameorigin(view)
    # Wagtail's admin runs inline scripts and styles (its chooser modals, the editor's
    # settings) that carry no nonce, so its own pages allow them; the public site keeps the
    # strict policy. Only staff signed in with their second factor ever reach these pages.
    return csp_replace(
        {
            "frame-ancestors": ["'self'"],
            "script-src": ["'self'", "'unsafe-inline'"],
            "style-src": ["'self'", "'unsafe-inline'"],
            "img-src": ["'self'", "data:", "blob:"],
        }
    )(view)


urlpatterns = decorate_urlpatterns(list(wagtailadmin_urls.urlpatterns), _guard)
