"""Forms for the back office's own pages. They validate; the services do the work."""

import hashlib
from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .forms import PatientFieldsForm
from .models import Appointment, Practitioner, Service
from .selectors import clinic_tz
from .services import COURSE_MAX_VISITS, CourseFit, statuses_settable

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M")


def local_datetime(day: date, at: time) -> datetime:
    """A wall-clock time on the clinic's clock as an aware datetime (first one if repeated)."""
    return datetime.combine(day, at, tzinfo=clinic_tz())


def override_token(*parts) -> str:
    """A short digest of what a staff override confirms (what, with whom, when).

    The "book anyway" button echoes it; a changed time or practitioner no longer matches, so a
    confirmation never carries over to a booking whose warnings nobody has seen.
    """
    raw = "|".join(str(part) for part in parts)
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


class PhoneBookingForm(PatientFieldsForm):
    """A booking taken by staff: the same checks as the public journey, plus staff choices."""

    service = forms.ModelChoiceField(
        label=_("Appointment"), queryset=Service.objects.filter(active=True), empty_label=None
    )
    practitioner = forms.ModelChoiceField(
        label=_("Practitioner"),
        queryset=Practitioner.objects.filter(active=True),
        required=False,
        empty_label=_("First available"),
    )
    day = forms.DateField(label=_("Day"), widget=DATE_INPUT)
    time = forms.TimeField(label=_("Time (UK)"), widget=TIME_INPUT)
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    send_confirmation = forms.BooleanField(
        label=_("Email the patient a confirmation"),
        required=False,
        initial=True,
        help_text=_("Nothing is sent to a patient without an email address."),
    )

    course_count = forms.IntegerField(
        label=_("Visits in the course"),
        min_value=1,
        max_value=COURSE_MAX_VISITS,
        initial=1,
        required=False,
        help_text=_("More than one books a course: you see the dates before saving."),
    )
    course_every_days = forms.IntegerField(
        label=_("Gap between visits"),
        help_text=_("In days: 7 is weekly, 14 fortnightly."),
        min_value=1,
        max_value=90,
        initial=7,
        required=False,
    )
    course_fit = forms.ChoiceField(
        label=_("When the time is taken"),
        choices=CourseFit.choices,
        initial=CourseFit.NEAREST,
        required=False,
    )

    field_order = [
        "service",
        "practitioner",
        "day",
        "time",
        "course_count",
        "course_every_days",
        "course_fit",
        "name",
        "phone",
        "email",
        "notes",
        "discount_code",
        "send_confirmation",
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, service=None, **kwargs)
        self.order_fields(self.field_order)
        self.fields["email"].required = False
        self.fields["email"].help_text = _("Optional: leave empty if the patient has no email.")
        self.fields["phone"].help_text = ""

    def clean_service(self) -> Service:
        self.service = self.cleaned_data["service"]
        return self.service

    def clean(self) -> dict:
        cleaned = super().clean() if self.service is not None else self.cleaned_data
        if cleaned.get("day") and cleaned.get("time"):
            cleaned["start"] = local_datetime(cleaned["day"], cleaned["time"])
        if not cleaned.get("email"):
            cleaned["send_confirmation"] = False  # no address, nothing to send
        cleaned["course_count"] = cleaned.get("course_count") or 1
        cleaned["course_every_days"] = cleaned.get("course_every_days") or 7
        cleaned["course_fit"] = cleaned.get("course_fit") or CourseFit.NEAREST
        return cleaned

    def override_token(self) -> str:
        """What a "book anyway" must echo: it confirms this booking's warnings, no other's."""
        data = self.cleaned_data
        practitioner = data.get("practitioner")
        return override_token(
            data["service"].pk, practitioner.pk if practitioner else "", data["start"]
        )


class FreeTimesForm(forms.Form):
    """Which free times to list beside the phone booking form (no JavaScript needed)."""

    service = forms.ModelChoiceField(queryset=Service.objects.filter(active=True))
    practitioner = forms.ModelChoiceField(
        queryset=Practitioner.objects.filter(active=True), required=False
    )
    day = forms.DateField()


class RescheduleForm(forms.Form):
    practitioner = forms.ModelChoiceField(
        label=_("Practitioner"), queryset=Practitioner.objects.filter(active=True), empty_label=None
    )
    day = forms.DateField(label=_("Day"), widget=DATE_INPUT)
    time = forms.TimeField(label=_("Time (UK)"), widget=TIME_INPUT)
    notify_patient = forms.BooleanField(
        label=_("Email the patient the new time"), required=False, initial=True
    )


class ClinicalNoteForm(forms.Form):
    clinical_note = forms.CharField(
        label=_("Practitioner's note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Health information: only practitioners and managers can read it."),
    )


class StatusChangeForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a cancellation by the clinic this is the message emailed to the patient."),
    )
    notify_patient = forms.BooleanField(
        label=_("Email the patient (cancellations)"), required=False, initial=True
    )

    def __init__(
        self, *args, appointment: Appointment, only: tuple[str, ...] | None = None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        allowed = statuses_settable(appointment.status)
        if only is not None:  # a role that may only mark attendance
            allowed = allowed & set(only)
        self.fields["to_status"].choices = [
            (value, label) for value, label in Appointment.Status.choices if value in allowed
        ]


class TimeOffAddForm(forms.Form):
    practitioner = forms.ModelChoiceField(
        label=_("Practitioner"),
        queryset=Practitioner.objects.all(),
        required=False,
        empty_label=_("Whole clinic (closed)"),
    )
    start_day = forms.DateField(label=_("From day"), widget=DATE_INPUT)
    start_time = forms.TimeField(label=_("From time"), widget=TIME_INPUT, initial=time(0))
    end_day = forms.DateField(label=_("Until day"), widget=DATE_INPUT)
    end_time = forms.TimeField(
        label=_("Until time"),
        widget=TIME_INPUT,
        initial=time(23, 59),
        help_text=_("The time off ends at this moment."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
    cancel_clashing = forms.BooleanField(
        label=_("Cancel the appointments this covers and email each patient"), required=False
    )
    message = forms.CharField(
        label=_("Message to each patient"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Included in the cancellation email, e.g. an apology and how to rebook."),
    )

    def __init__(self, *args, own: Practitioner | None = None, **kwargs) -> None:
        """``own``: a practitioner adding their own time off (no clinic closures, no
        cancelling patients' appointments: reception moves those)."""
        super().__init__(*args, **kwargs)
        if own is not None:
            field = self.fields["practitioner"]
            field.queryset = Practitioner.objects.filter(pk=own.pk)
            field.required, field.empty_label, field.initial = True, None, own.pk
            del self.fields["cancel_clashing"], self.fields["message"]

    def clean(self) -> dict:
        cleaned = super().clean()
        parts = [cleaned.get(f) for f in ("start_day", "start_time", "end_day", "end_time")]
        if all(part is not None for part in parts):
            cleaned["start"] = local_datetime(parts[0], parts[1])
            cleaned["end"] = local_datetime(parts[2], parts[3])
            if cleaned["end"] <= cleaned["start"]:
                raise forms.ValidationError(_("The time off must end after it starts."))
        if cleaned.get("cancel_clashing") and not cleaned.get("message", "").strip():
            self.add_error(
                "message", _("Write a message to the patients whose appointments are cancelled.")
            )
        return cleaned


class ExportForm(forms.Form):
    first_day = forms.DateField(label=_("From"), widget=DATE_INPUT)
    last_day = forms.DateField(label=_("Until"), widget=DATE_INPUT)

    MAX_DAYS = 366

    def clean(self) -> dict:
        cleaned = super().clean()
        first, last = cleaned.get("first_day"), cleaned.get("last_day")
        if first and last:
            if last < first:
                raise forms.ValidationError(_("'Until' must not be before 'From'."))
            if (last - first).days >= self.MAX_DAYS:
                raise forms.ValidationError(_("Export at most a year at a time."))
        return cleaned

    @classmethod
    def default_range(cls) -> dict:
        today = timezone.localdate()
        monday = today - timedelta(days=today.weekday())
        return {"first_day": monday, "last_day": monday + timedelta(days=6)}
