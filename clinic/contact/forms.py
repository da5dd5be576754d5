"""The contact form: validation only; saving is ``contact_message_create``'s job."""

import unicodedata

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.core.validators import RegexValidator
from django.urls import reverse_lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import MESSAGE_MAX_LENGTH, ContactMessage

phone_validator = RegexValidator(
    r"^\+?[0-9 ()\-]{7,30}$",
    _("Enter a phone number using digits, spaces, brackets and + or - only, like 0113 496 0123."),
    code="invalid_phone",
)


#: Topics a link can preset with ``?topic=``: the opening of the message, which the sender edits.
TOPICS = {
    "assessment-tool": _("I want to report a problem with the self-assessment tool. "),
}


class ContactForm(forms.ModelForm):
    privacy_acknowledged = forms.BooleanField(
        required=True,
        error_messages={
            "required": _("Tick the box to confirm you have read the privacy notice."),
        },
    )
    # A field people never see and bots happily fill in.
    website = forms.CharField(required=False, label=_("Leave this field empty"), max_length=200)

    class Meta:
        model = ContactMessage
        fields = ["name", "email", "phone", "preferred_contact", "message"]
        labels = {
            "name": _("Your name"),
            "email": _("Email address"),
            "phone": _("Phone number (optional)"),
            "preferred_contact": _("How would you like us to reply?"),
            "message": _("Your message"),
        }
        help_texts = {
            "email": _("We will reply to this address."),
            "phone": _("Only if you would like us to call you."),
            "message": _(
                "Up to %(max)s characters. Please do not include anything urgent: "
                "in an emergency call 999."
            )
            % {"max": f"{MESSAGE_MAX_LENGTH:,}"},
        }
        error_messages = {
            "name": {
                "required": _("Enter your name."),
                "max_length": _("Your name must be %(limit_value)d characters or fewer."),
            },
            "email": {
                "required": _("Enter your email address."),
                "invalid": _(
                    "Enter an email address in the correct format, like name@example.com."
                ),
                "max_length": _("Your email address must be %(limit_value)d characters or fewer."),
            },
            "phone": {
                "max_length": _("Your phone number must be %(limit_value)d characters or fewer."),
            },
            "message": {
                "required": _("Enter your message."),
                "max_length": _(
                    "Your message must be %(limit_value)d characters or fewer "
                    "(it has %(show_value)d)."
                ),
            },
        }
        widgets = {
            "preferred_contact": forms.RadioSelect,
            "message": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phone"].validators.append(phone_validator)
        self.fields["privacy_acknowledged"].label = format_html(
            'I have read the <a href="{}">privacy notice</a> and agree to the clinic keeping '
            "my message to reply to me.",
            reverse_lazy("privacy"),
        )
        self.fields["name"].widget.attrs.update(autocomplete="name")
        self.fields["email"].widget.attrs.update(autocomplete="email", spellcheck="false")
        self.fields["phone"].widget.attrs.update(autocomplete="tel", inputmode="tel")
        self.fields["website"].widget.attrs.update(autocomplete="off", tabindex="-1")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "name",
            "email",
            "phone",
            "preferred_contact",
            "message",
            "privacy_acknowledged",
            Div(Field("website"), css_class="visually-hidden", aria_hidden="true"),
        )

    @staticmethod
    def initial_for_topic(topic: str | None) -> dict:
        """The form's starting values for a known ``?topic=``; an unknown one is ignored."""
        return {"message": TOPICS[topic]} if topic in TOPICS else {}

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        if any(unicodedata.category(char).startswith("C") for char in name):
            raise forms.ValidationError(
                _("Enter your name on one line, without special characters."),
                code="control_characters",
            )
        return " ".join(name.split())

    def clean(self) -> dict:
        cleaned = super().clean()
        if (
            cleaned.get("preferred_contact") == ContactMessage.ContactMethod.PHONE
            and not cleaned.get("phone")
            and "phone" not in self.errors
        ):
            self.add_error(
                "phone",
                forms.ValidationError(
                    _("Enter a phone number so we can call you, or choose email."),
                    code="phone_required",
                ),
            )
        return cleaned

    def is_spam(self) -> bool:
        """Whether the honeypot was filled in (only a bot sees that field)."""
        return bool(self.cleaned_data.get("website"))

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "email": data["email"],
            "phone": data["phone"],
            "preferred_contact": data["preferred_contact"],
            "message": data["message"],
            "privacy_acknowledged": data["privacy_acknowledged"],
        }
