"""Forms for the booking journey and the JSON API. They validate; services do the work."""

import re
from datetime import date, datetime, timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .catalogue import ServiceShape, SlotCatalogue
from .models import Practitioner, Service
from .services import DiscountCodeInvalid, discount_code_check

_PHONE_ALLOWED = re.compile(r"^\+?[0-9 ()\-]+$")


# Dates outside these years cannot be booked and would overflow date arithmetic (0001-01-01
# minus a day, 9999-12-31 in London time): they are refused as malformed, not computed with.
SANE_YEARS = range(2000, 2101)


def parse_start(value: str) -> datetime | None:
    """An aware datetime from ISO 8601 with a UTC offset, or ``None`` if it is not one."""
    try:
        parsed = parse_datetime(value.strip())
    except ValueError:
        return None
    if parsed is None or parsed.tzinfo is None or parsed.year not in SANE_YEARS:
        return None
    return parsed


def parse_day(value: str) -> date | None:
    """A date from YYYY-MM-DD within :data:`SANE_YEARS`, or ``None``."""
    try:
        parsed = date.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return parsed if parsed.year in SANE_YEARS else None


def parse_month(value: str) -> date | None:
    """The first day of a month from YYYY-MM, or ``None``."""
    return parse_day(f"{value[:7]}-01") if len(value) == 7 else None


class TelInput(forms.TextInput):
    """A phone number field: phones show their dial pad (the contact form's widget does too)."""

    input_type = "tel"


# Messages written for patients, in place of Django's defaults ("This field is required."). Each
# says what to do and stands alone: the error summary lists them without the fields' labels.
NAME_ERRORS = {
    "required": _("Enter your full name."),
    "max_length": _("Your name must be %(limit_value)d characters or fewer."),
}
EMAIL_ERRORS = {
    "required": _("Enter your email address."),
    "invalid": _("Enter an email address in the correct format, like name@example.com."),
    "max_length": _("Your email address must be %(limit_value)d characters or fewer."),
}
PHONE_ERRORS = {
    "required": _("Enter your phone number, so we can reach you about your appointment."),
    "max_length": _("Your phone number must be %(limit_value)d characters or fewer."),
}


class PatientFieldsForm(forms.Form):
    """Who the appointment is for, their discount code and their consent."""

    name = forms.CharField(
        label=_("Full name"), max_length=150, strip=True, error_messages=NAME_ERRORS
    )
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("We send your confirmation here."),
        error_messages=EMAIL_ERRORS,
    )
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=30,
        help_text=_("In case we need to reach you about your appointment."),
        widget=TelInput,
        error_messages=PHONE_ERRORS,
    )
    discount_code = forms.CharField(
        label=_("Discount code"),
        max_length=40,
        required=False,
        error_messages={
            "max_length": _("A discount code is at most %(limit_value)d characters long."),
        },
    )

    def __init__(self, *args, service: Service, **kwargs) -> None:
        self.service = service
        super().__init__(*args, **kwargs)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        if any(ord(char) < 32 for char in name):
            raise forms.ValidationError(_("Enter your name on one line."), code="invalid")
        return name

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        digits = sum(char.isdigit() for char in phone)
        if not _PHONE_ALLOWED.match(phone) or not 7 <= digits <= 15:
            raise forms.ValidationError(
                _("Enter a phone number, like 07700 900123 or +44 113 496 0123."), code="invalid"
            )
        return phone

    def clean_discount_code(self) -> str:
        return self.cleaned_data["discount_code"].strip()

    def clean(self) -> dict:
        cleaned = super().clean()
        code = cleaned.get("discount_code")
        if code and "email" in cleaned:
            try:
                discount = discount_code_check(
                    code=code, service=self.service, email=cleaned["email"]
                )
            except DiscountCodeInvalid as exc:
                self.add_error("discount_code", forms.ValidationError(exc.message, code=exc.code))
            else:
                cleaned["discount_code"] = discount.code
        return cleaned


class DetailsForm(PatientFieldsForm):
    """The journey's details step."""

    notes = forms.CharField(
        label=_("Anything we should know to arrange your visit (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": _(
                "Keep your note to %(limit_value)d characters or fewer (it has %(show_value)d)."
            )
        },
        help_text=_(
            "For example access needs or the best time to call. Please leave out medical "
            "details: your clinician will ask about them at the appointment."
        ),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree to the clinic keeping my note, including anything it says about my health."
        ),
        required=False,
    )
    field_order = [
        "name",
        "email",
        "phone",
        "notes",
        "discount_code",
        "share_assessment",
        "consent",
    ]

    def __init__(self, *args, offer_assessment: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if offer_assessment:
            # Only offered when this browser holds a self-assessment the patient agreed to store.
            self.fields["share_assessment"] = forms.BooleanField(
                label=_("Share my self-assessment answers with my practitioner"),
                required=False,
                help_text=_(
                    "Your practitioner can then read the answers you gave before your "
                    "appointment. Leave it unticked and they stay with the clinic's records only."
                ),
            )
            self.order_fields(self.field_order)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["discount_code"].widget.attrs.update(autocapitalize="characters")
        # The booking itself rests on the contract (the privacy notice says so): no tick for
        # that. Only a note, which may hold health information, needs explicit consent.
        self.fields["consent"].help_text = format_html(
            'Only needed if you write a note. <a href="{}">Read the privacy notice</a>.',
            reverse("privacy"),
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("continue", _("Continue to review")))

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("notes", "").strip() and not cleaned.get("consent"):
            self.add_error(
                "consent",
                forms.ValidationError(
                    _("Tick the box to let us keep your note, or remove the note."),
                    code="note_consent",
                ),
            )
        return cleaned


class SlotChoiceForm(forms.Form):
    """The time a patient picked, checked against the slots on offer."""

    slot = forms.CharField(
        label=_("Time"),
        max_length=40,
        error_messages={"required": _("Choose a time for your appointment.")},
    )
    practitioner = forms.SlugField(required=False, max_length=120)

    def __init__(self, *args, offered: set[datetime], **kwargs) -> None:
        self.offered = offered
        super().__init__(*args, **kwargs)

    def clean_slot(self) -> datetime:
        start = parse_start(self.cleaned_data["slot"])
        if start is None or start not in self.offered:
            raise forms.ValidationError(
                _("That time is no longer available. Please choose another."),
                code="slot_unavailable",
            )
        return start


class SlotQueryForm(forms.Form):
    """``GET /api/slots/``: which service, from which day, for how many days, with whom.

    Services and practitioners are looked up in the slot catalogue (``bookings.catalogue``),
    which the view has just checked is current: no query of its own.
    """

    service = forms.SlugField(max_length=120)
    date = forms.DateField(input_formats=["%Y-%m-%d"])
    days = forms.IntegerField(min_value=1, max_value=31, required=False)
    practitioner = forms.SlugField(max_length=120, required=False)

    def __init__(self, *args, catalogue: SlotCatalogue, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.catalogue = catalogue

    def clean_date(self) -> date:
        day = self.cleaned_data["date"]
        if day.year not in SANE_YEARS:
            raise forms.ValidationError(
                _("Choose a date between %(first)s and %(last)s.")
                % {"first": SANE_YEARS[0], "last": SANE_YEARS[-1]},
                code="out_of_range",
            )
        return day

    def clean_service(self) -> ServiceShape:
        service = self.catalogue.service(self.cleaned_data["service"])
        if service is None:
            raise forms.ValidationError(
                _("There is no bookable service with that slug."), code="unknown"
            )
        return service

    def clean(self) -> dict:
        cleaned = super().clean()
        slug = cleaned.get("practitioner")
        service = cleaned.get("service")
        if slug and service:
            practitioner = self.catalogue.practitioner(service, slug)
            if practitioner is None:
                self.add_error(
                    "practitioner",
                    forms.ValidationError(
                        _("No practitioner with that slug offers this service."), code="unknown"
                    ),
                )
            cleaned["practitioner"] = practitioner
        else:
            cleaned["practitioner"] = None
        return cleaned


class BookingApiForm(PatientFieldsForm):
    """``POST /api/bookings/``: the JSON body, after its types have been checked."""

    service = forms.SlugField(max_length=120)
    practitioner = forms.SlugField(max_length=120, required=False)
    start = forms.CharField(max_length=40)
    consent = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, service=None, **kwargs)

    def clean_service(self) -> Service:
        service = Service.objects.filter(slug=self.cleaned_data["service"], active=True).first()
        if service is None:
            raise forms.ValidationError(
                _("There is no bookable service with that slug."), code="unknown"
            )
        self.service = service
        return service

    def clean_practitioner(self) -> Practitioner | None:
        slug = self.cleaned_data["practitioner"]
        if not slug:
            return None
        practitioner = Practitioner.objects.filter(slug=slug, active=True).first()
        if practitioner is None:
            raise forms.ValidationError(
                _("There is no practitioner with that slug."), code="unknown"
            )
        return practitioner

    def clean_start(self) -> datetime:
        start = parse_start(self.cleaned_data["start"])
        if start is None:
            raise forms.ValidationError(
                _("Give the start as ISO 8601 with a UTC offset, like 2026-12-01T09:00:00+00:00."),
                code="invalid",
            )
        return start

    def clean(self) -> dict:
        if self.service is None:
            # Without a service the discount code cannot be checked; the service error says why.
            self.cleaned_data.pop("discount_code", None)
            return self.cleaned_data
        return super().clean()


class WaitlistForm(forms.Form):
    """A patient who found no time that suits: which appointment, which days, how to reach them."""

    service = forms.ModelChoiceField(
        label=_("Appointment"),
        queryset=Service.objects.filter(active=True),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the appointment you would like."),
            "invalid_choice": _("Choose one of the appointments listed."),
        },
    )
    practitioner = forms.ModelChoiceField(
        label=_("Practitioner"),
        queryset=Practitioner.objects.filter(active=True),
        required=False,
        empty_label=_("Any practitioner"),
        error_messages={"invalid_choice": _("Choose one of the practitioners listed.")},
    )
    first_day = forms.DateField(
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Enter the first day you could come."),
            "invalid": _("Enter the first day as a date, like 24/12/2026."),
        },
    )
    last_day = forms.DateField(
        label=_("Until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Enter the last day you could come."),
            "invalid": _("Enter the last day as a date, like 31/12/2026."),
        },
    )
    name = forms.CharField(label=_("Full name"), max_length=150, error_messages=NAME_ERRORS)
    email = forms.EmailField(label=_("Email address"), max_length=254, error_messages=EMAIL_ERRORS)
    phone = forms.CharField(
        label=_("Phone number"), max_length=30, widget=TelInput, error_messages=PHONE_ERRORS
    )
    consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice and agree to the clinic keeping these details until "
            "the last day I have chosen, to tell me about a free time."
        ),
        error_messages={"required": _("Tick the box to confirm you have read the privacy notice.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["consent"].help_text = format_html(
            '<a href="{}">Read the privacy notice</a>.', reverse("privacy")
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("join", _("Join the waitlist")))

    clean_phone = PatientFieldsForm.clean_phone
    clean_name = PatientFieldsForm.clean_name

    def clean(self) -> dict:
        cleaned = super().clean()
        first, last = cleaned.get("first_day"), cleaned.get("last_day")
        today = timezone.localdate()
        horizon = today + timedelta(days=settings.BOOKING_HORIZON_DAYS)
        if first and first < today:
            self.add_error("first_day", forms.ValidationError(_("Choose today or a later day.")))
        if last and last > horizon:
            self.add_error(
                "last_day",
                forms.ValidationError(
                    _("We book up to %(days)s days ahead: choose %(last)s or earlier.")
                    % {"days": settings.BOOKING_HORIZON_DAYS, "last": horizon.strftime("%d/%m/%Y")}
                ),
            )
        if first and last and last < first:
            self.add_error(
                "last_day", forms.ValidationError(_("The last day must not be before the first."))
            )
        practitioner, service = cleaned.get("practitioner"), cleaned.get("service")
        if practitioner and service and not practitioner.services.filter(pk=service.pk).exists():
            self.add_error(
                "practitioner",
                forms.ValidationError(
                    _("%(who)s doesn't offer %(service)s.")
                    % {"who": practitioner.name, "service": service.name}
                ),
            )
        return cleaned
