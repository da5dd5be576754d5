from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SubjectSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find the person by name, email or phone"), max_length=254, required=False
    )


class DataSubjectRequestForm(forms.Form):
    ACTIONS = [
        ("export", _("Export everything we hold (subject access request), as JSON")),
        ("erase", _("Erase or anonymise everything we may (right to erasure)")),
        ("record", _("Only record the request now; carry it out later")),
    ]
    KINDS = [("export", _("Subject access (export)")), ("erase", _("Erasure"))]
    email = forms.EmailField(label=_("The person's email address"), max_length=254)
    requested_on = forms.DateField(
        label=_("Date the request was received"),
        initial=timezone.localdate,
        required=False,
        help_text=_("Today if left empty. The reply is due one calendar month after it."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    action = forms.ChoiceField(label=_("What to do"), choices=ACTIONS, widget=forms.RadioSelect)
    kind = forms.ChoiceField(
        label=_("If only recording: what was asked for"),
        choices=KINDS,
        required=False,
        initial="export",
    )
    confirm_erase = forms.BooleanField(
        label=_(
            "I have checked this person's identity and understand that erasure cannot be undone"
        ),
        required=False,
    )

    def clean_requested_on(self):
        day = self.cleaned_data["requested_on"] or timezone.localdate()
        if day > timezone.localdate():
            raise forms.ValidationError(_("The request date cannot be in the future."))
        return day

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "erase" and not cleaned.get("confirm_erase"):
            self.add_error(
                "confirm_erase", _("Tick this box to confirm the erasure; it cannot be undone.")
            )
        return cleaned
