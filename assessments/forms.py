"""Forms of the self-assessment. They validate only; the views decide what happens next.

A step's answers are validated by the triage engine itself, so the questionnaire and the
engine can never disagree about what a valid answer is: the form is a thin adapter that puts
the engine's messages next to the right questions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from assessments.presentation import illustration_alt
from assessments.questions import (
    HAMSTRING_TEST_IMAGE,
    SIT_REACH_IMAGE,
    Question,
)
from assessments.triage import (
    Level,
    TriageResult,
    TriageValidationError,
    evaluate,
    questions_asked,
)

TEST_NAMES_BY_IMAGE = {
    HAMSTRING_TEST_IMAGE: _("90/90 hamstring test"),
    SIT_REACH_IMAGE: _("sit-and-reach test"),
}


class StepForm(forms.Form):
    """The answers to one step of the questionnaire.

    ``earlier_answers`` are the patient's answers to the steps before; the engine evaluates
    them together with this step, and :attr:`result` holds the outcome once the form is
    valid. Nothing is ever pre-selected: ``initial`` is only the patient's own earlier answer
    to this very step, when they come back to it.
    """

    def __init__(
        self,
        *args,
        step: int,
        earlier_answers: Mapping[str, str] | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.step = step
        self.earlier_answers = dict(earlier_answers or {})
        # Only the questions asked on this step given the earlier answers (the inflammatory
        # screen depends on age and how long the pain has lasted).
        self.questions: tuple[Question, ...] = questions_asked(step, self.earlier_answers)
        self.result: TriageResult | None = None
        for question in self.questions:
            # Plain text fields: the engine is the one validator of the values.
            self.fields[question.field] = forms.CharField(
                label=question.text, required=False, max_length=200
            )

    def clean(self) -> dict:
        cleaned = super().clean()
        if hasattr(self.data, "getlist"):
            for question in self.questions:
                if len(self.data.getlist(question.field)) > 1:
                    # Two answers to one question (no browser sends that): neither counts.
                    self.add_error(
                        question.field,
                        ValidationError(_("Please choose one answer."), code="several_answers"),
                    )
        # Evaluate even when a field is malformed (overlong, a NUL byte): that answer counts
        # as missing, and an emergency answer elsewhere on the page must still be acted on.
        answers = {**self.earlier_answers, **self.step_answers()}
        try:
            self.result = evaluate(answers, through_step=self.step)
        except TriageValidationError as invalid:
            for field, message in invalid.errors.items():
                if field in self.fields:
                    if field not in self.errors:
                        self.add_error(field, ValidationError(message, code=invalid.codes[field]))
                else:
                    # An earlier step is no longer valid; the view sends the patient back.
                    raise ValidationError(
                        _("Some earlier answers are missing. Please check them again."),
                        code="earlier_step",
                    ) from invalid
        return cleaned

    @property
    def is_emergency(self) -> bool:
        """Whether the answers, valid or not, already call for emergency care."""
        return self.is_bound and self.result is not None and self.result.level is Level.EMERGENCY

    def step_answers(self) -> dict[str, str]:
        """This step's answers as posted (stripped), ready to keep in the session."""
        return {
            question.field: (self.cleaned_data.get(question.field) or "")
            for question in self.questions
        }

    def bound_questions(self) -> list[dict[str, object]]:
        """Each question with its current value and errors, for the template."""
        rows = []
        previous_instructions: tuple = ()
        for question in self.questions:
            bound = self[question.field]
            value = bound.value()
            # Both legs share the 90/90 instructions: show them once, before the first leg.
            show_instructions = bool(question.instructions) and (
                question.instructions != previous_instructions
            )
            previous_instructions = question.instructions
            rows.append(
                {
                    "question": question,
                    "show_instructions": show_instructions,
                    "test_name": TEST_NAMES_BY_IMAGE.get(question.image, _("test")),
                    "image_alt": (
                        illustration_alt(question.image, str(question.text))
                        if question.image
                        else ""
                    ),
                    "field": question.field,
                    "id": f"q-{question.field}",
                    "value": "" if value is None else str(value),
                    "errors": bound.errors,
                    "choices": [
                        {"value": v, "label": label, "id": f"q-{question.field}-{v}"}
                        for v, label in question.choices
                    ],
                }
            )
        return rows


# Digits, spaces, brackets, dashes and a leading +; 10 to 15 digits in all.
_PHONE = re.compile(r"\+?[0-9 ()-]{10,24}")


class SaveResultForm(forms.Form):
    """The patient's choices about keeping their result, each asked separately."""

    consent_health_storage = forms.BooleanField(required=False)
    contact_consent = forms.BooleanField(required=False)
    email_results = forms.BooleanField(required=False)
    name = forms.CharField(label=_("Your name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email address"), required=False)
    phone = forms.CharField(label=_("Phone number"), max_length=30, required=False)

    def detail_fields(self) -> list[tuple[forms.BoundField, str]]:
        """The contact fields with the hint shown under each label."""
        return [
            (self["name"], _("Needed if you want us to contact you.")),
            (self["email"], _("Needed to email your results. We can also contact you by email.")),
            (self["phone"], _("We can contact you by phone instead of email.")),
        ]

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"]
        digits = re.sub(r"\D", "", phone)
        if phone and (not _PHONE.fullmatch(phone) or not 10 <= len(digits) <= 15):
            raise ValidationError(
                _("Enter a phone number, like 07700 900123."), code="invalid_phone"
            )
        return phone

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("consent_health_storage"):
            if cleaned.get("contact_consent") or cleaned.get("email_results"):
                message = _(
                    "To contact you or email your results we need to keep your answers. "
                    "Tick this box, or untick the other boxes."
                )
            else:
                message = _(
                    "Tick this box if you want us to keep your answers. If you do not tick "
                    "it, nothing is saved."
                )
            self.add_error("consent_health_storage", ValidationError(message, code="required"))
        if cleaned.get("contact_consent"):
            if not cleaned.get("name"):
                self.add_error(
                    "name",
                    ValidationError(_("Enter your name so we know who to ask for."), "required"),
                )
            if not cleaned.get("email") and not cleaned.get("phone") and "email" not in self.errors:
                self.add_error(
                    "phone",
                    ValidationError(
                        _("Enter a phone number or an email address so we can contact you."),
                        "required",
                    ),
                )
        if cleaned.get("email_results") and not cleaned.get("email") and "email" not in self.errors:
            self.add_error(
                "email",
                ValidationError(_("Enter the email address to send your results to."), "required"),
            )
        return cleaned
