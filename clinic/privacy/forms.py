from django import forms
from django.utils.translation import gettext_lazy as _


class DataSubjectRequestForm(forms.Form):
    ACTIONS = [
        ("export", _("Export everything we hold (subject access request), as JSON")),
        ("erase", _("Erase or anonymise everything we may (right to erasure)")),
    ]
    email = forms.EmailField(label=_("The person's email address"), max_length=254)
    action = forms.ChoiceField(label=_("What to do"), choices=ACTIONS, widget=forms.RadioSelect)
    confirm_erase = forms.BooleanField(
        label=_(
            "I have checked this person's identity and understand that erasure cannot be undone"
        ),
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "erase" and not cleaned.get("confirm_erase"):
            self.add_error(
                "confirm_erase", _("Tick this box to confirm the erasure; it cannot be undone.")
            )
        return cleaned
