"""The contact form's validation: every field limited, every error clear."""

import pytest

from clinic.contact.forms import ContactForm

# ModelForm validation checks the model's constraints, which asks the database.
pytestmark = pytest.mark.django_db


def data(**overrides) -> dict:
    return {
        "name": "Ann Patient",
        "email": "ann@example.com",
        "phone": "",
        "preferred_contact": "email",
        "message": "Can I book for my hamstrings?",
        "privacy_acknowledged": "on",
        "website": "",
        **overrides,
    }


def test_a_complete_form_is_valid():
    form = ContactForm(data=data(name="  Ann   Patient "))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == "Ann Patient"
    assert not form.is_spam()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "Enter your name."),
        ({"email": ""}, "email", "Enter your email address."),
        ({"message": ""}, "message", "Enter your message."),
        ({"name": "x" * 101}, "name", "Your name must be 100 characters or fewer."),
        ({"email": "a" * 250 + "@example.com"}, "email", "254 characters or fewer"),
        ({"phone": "0" * 31}, "phone", "30 characters or fewer"),
        ({"message": "x" * 3001}, "message", "3000 characters or fewer (it has 3001)"),
        ({"email": "not-an-email"}, "email", "correct format"),
        ({"email": "ann@example.com\r\nBcc: evil@example.com"}, "email", "correct format"),
        ({"name": "Ann\r\nBcc: evil@example.com"}, "name", "on one line"),
        ({"name": "Ann\x00"}, "name", "Null characters are not allowed."),
        ({"phone": "call me maybe"}, "phone", "digits, spaces"),
        ({"preferred_contact": "phone"}, "phone", "Enter a phone number so we can call you"),
        ({"preferred_contact": "pigeon"}, "preferred_contact", "Select a valid choice"),
        ({"privacy_acknowledged": ""}, "privacy_acknowledged", "privacy notice"),
    ],
)
def test_bad_input_gives_a_clear_error_on_the_field(overrides, field, message):
    form = ContactForm(data=data(**overrides))
    assert not form.is_valid()
    assert message in " ".join(form.errors[field]), form.errors


def test_phone_is_accepted_when_preferred():
    form = ContactForm(data=data(preferred_contact="phone", phone="+44 (0)113 496-0123"))
    assert form.is_valid(), form.errors


def test_html_in_the_message_is_kept_as_text():
    form = ContactForm(data=data(message="<script>alert(1)</script>"))
    assert form.is_valid()
    assert form.cleaned_data["message"] == "<script>alert(1)</script>"


def test_the_honeypot_marks_spam():
    form = ContactForm(data=data(website="http://spam.example"))
    assert form.is_valid()
    assert form.is_spam()
