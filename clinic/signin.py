"""Staff sign-in in one step: username, password and the code from the authenticator app.

django-otp's own admin form asks for a device to be chosen from a list that only fills in after
a first, failed attempt ("Please select a device"), and offers a "Get OTP Challenge" button that
means nothing for an authenticator app. Staff have one authenticator (a TOTP device), so the
form checks the code against it directly.

A staff member without a confirmed authenticator (new, or reset by a manager) who gives the
right username and password is taken to :func:`enrol`, which shows a QR code to scan and asks
for the first code; the device is confirmed and the session verified in the same step. The
password check still goes through ``authenticate()``, so django-axes counts failures and locks
out as before.
"""

from __future__ import annotations

import base64
import io
import time

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model, login
from django.core import validators
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.demo_login import demo_login_refused

ENROL_SESSION_KEY = "clinic_staff_enrol"
#: How long a password-checked visitor has to scan the code and type the first code.
ENROL_WINDOW_SECONDS = 10 * 60

_code_field = forms.CharField(
    label=_("Code from your authenticator app"),
    required=False,
    max_length=6,
    widget=forms.TextInput(
        attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
    ),
)


def staff_device(user) -> TOTPDevice | None:
    """The staff member's confirmed authenticator, if they have set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def code_was_used(device: TOTPDevice, token: str) -> bool:
    """Whether ``token`` is a right code that has already been used to sign in."""
    try:
        number = int(token)
    except ValueError:
        return False
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    now_t = totp.t()
    for offset in range(-device.tolerance, device.tolerance + 1):
        totp.drift = device.drift + offset
        if totp.token() == number and now_t + offset <= device.last_t:
            return True
    return False


def code_check(device: TOTPDevice, token: str) -> None:
    """Raise a plain ``ValidationError`` unless ``token`` is the device's current code."""
    token = (token or "").strip().replace(" ", "")
    if not token:
        raise forms.ValidationError(
            _("Enter the 6-digit code from your authenticator app."), code="code_required"
        )
    allowed, _extra = device.verify_is_allowed()
    if not allowed:
        raise forms.ValidationError(
            _("Too many wrong codes: wait a minute, then try the newest code."),
            code="code_throttled",
        )
    if code_was_used(device, token):
        raise forms.ValidationError(
            _("That code has already been used. Wait for the next code, then enter it."),
            code="code_reused",
        )
    if not device.verify_token(token):
        raise forms.ValidationError(
            _("That code is not right. Check the clinic's entry in your authenticator app."),
            code="code_wrong",
        )


class StaffSignInForm(AdminAuthenticationForm):
    """Username, password and code, checked together."""

    code = _code_field

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Django sets the username's max_length after the field is built, so nothing enforces
        # it: a longer name reached authenticate() and django-axes' varchar(255) (a 500).
        username = self.fields["username"]
        username.validators.append(validators.MaxLengthValidator(username.max_length))

    def clean(self):
        cleaned = super().clean()  # authenticate(): axes counts a wrong password here
        user = self.get_user()
        if user is None:
            # A field was left empty or refused (too long, a NUL): its own message says so.
            return cleaned
        device = staff_device(user)
        if demo_login_refused(
            username=user.get_username(), device_key=device.key if device else None
        ):
            raise forms.ValidationError(
                _("The demo login only works on a developer's machine (DEBUG on)."),
                code="demo_login",
            )
        if device is None:
            self.request.session[ENROL_SESSION_KEY] = {"user": user.pk, "at": time.time()}
            self.enrolment_started = True
            raise forms.ValidationError(
                _("Set up your authenticator app to finish signing in."), code="enrol"
            )
        code_check(device, cleaned.get("code", ""))
        user.otp_device = device  # django-otp marks the session verified on login
        return cleaned


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Code shown in your authenticator app"),
        max_length=6,
        widget=_code_field.widget,
    )

    def __init__(self, *args, device: TOTPDevice, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self) -> str:
        code_check(self.device, self.cleaned_data["code"])
        return self.cleaned_data["code"]


def qr_data_uri(text: str) -> str:
    """``text`` as a QR code in an SVG data URI (``img-src data:`` is allowed by the CSP)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _pending_user(request: HttpRequest):
    pending = request.session.get(ENROL_SESSION_KEY)
    if not pending or time.time() - pending.get("at", 0) > ENROL_WINDOW_SECONDS:
        return None
    user = get_user_model().objects.filter(pk=pending.get("user"), is_active=True).first()
    if user is None or not user.is_staff or staff_device(user) is not None:
        return None
    return user


@sensitive_post_parameters()
@csrf_protect
@never_cache
def enrol(request: HttpRequest, *, site) -> HttpResponse:
    """First sign-in: scan the QR code, type the first code, and you are in."""
    user = _pending_user(request)
    if user is None:
        return redirect(reverse("admin:login"))
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    form = EnrolForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        request.session.pop(ENROL_SESSION_KEY, None)
        user.otp_device = device
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(reverse("admin:index"))
    secret = base64.b32encode(device.bin_key).decode()
    context = {
        **site.each_context(request),
        "title": _("Set up your authenticator app"),
        "form": form,
        "qr_code": qr_data_uri(device.config_url),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "username": user.get_username(),
    }
    return TemplateResponse(request, "admin/clinic/enrol.html", context)
