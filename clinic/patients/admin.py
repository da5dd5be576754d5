"""The patient in the back office: search as you type, the patient page, merging duplicates."""

from __future__ import annotations

import contextlib

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Patient
from .normalise import email_normalise
from .selectors import patient_history, patient_search
from .services import PatientMergeError, patient_details_save, patient_merge


class PatientForm(forms.ModelForm):
    """Marketing consent as a tick box (its time is recorded), apart from consent to care."""

    marketing_consent = forms.BooleanField(
        label=_("Agrees to marketing emails"),
        required=False,
        help_text=_("Separate from consent to care. Ticking records when it was given."),
    )

    class Meta:
        model = Patient
        fields = [
            "name",
            "alert_note",
            "date_of_birth",
            "email",
            "phone",
            "preferred_contact",
            "care_privacy_notice_version",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["marketing_consent"].initial = self.instance.marketing_consent_at is not None

    def clean_email(self):
        email = self.cleaned_data["email"]
        others = Patient.objects.current().filter(email_normalised=email_normalise(email))
        if email and others.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("Another patient record has this email address: merge the two instead."),
                code="email_taken",
            )
        return email

    def save(self, commit=True):
        patient = super().save(commit=False)
        if not self.cleaned_data["marketing_consent"]:
            patient.marketing_consent_at = None
        elif patient.marketing_consent_at is None:
            patient.marketing_consent_at = timezone.now()
        if commit:
            patient.save()
        return patient


class MergeForm(forms.Form):
    keep = forms.ModelChoiceField(
        label=_("Keep this record"), queryset=Patient.objects.current(), widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].label_from_instance = lambda patient: (
            f"{patient.name} · {patient.email or '-'} · {patient.phone or '-'}"
        )


@admin.register(Patient)
class PatientAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "phone", "alert_note", "created_at"]
    search_fields = ["name"]  # the search box; get_search_results does the real matching
    search_help_text = _("Name, email, phone number (any spacing, +44 or 0) or booking reference")
    form = PatientForm
    readonly_fields = [
        "marketing_consent_at",
        "created_at",
        "merged_into",
        "merged_at",
        "merged_by",
    ]
    fieldsets = [
        (None, {"fields": ["name", "alert_note", "date_of_birth"]}),
        (_("Contact"), {"fields": ["email", "phone", "preferred_contact"]}),
        (
            _("Consent"),
            {
                "fields": [
                    "care_privacy_notice_version",
                    "marketing_consent",
                    "marketing_consent_at",
                ]
            },
        ),
        (
            _("History"),
            {
                "classes": ["collapse"],
                "fields": ["created_at", "merged_into", "merged_at", "merged_by"],
            },
        ),
    ]
    actions = ["merge_selected"]
    change_list_template = "admin/patients/patient/change_list.html"
    change_form_template = "admin/patients/patient/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(merged_into__isnull=True)

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        ids = patient_search(query=search_term, limit=200).values("pk")
        return queryset.filter(pk__in=ids), False

    def save_model(self, request, obj, form, change):
        patient_details_save(patient=obj)

    def get_urls(self):
        return [
            path(
                "search/",
                self.admin_site.admin_view(self.search_view),
                name="patients_patient_search",
            ),
            *super().get_urls(),
        ]

    def search_view(self, request: HttpRequest) -> JsonResponse:
        """Search as you type: the first matches for what has been typed so far."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        query = request.GET.get("q", "")[:100]
        return JsonResponse(
            {
                "results": [
                    {
                        "name": patient.name,
                        "detail": " · ".join(filter(None, [patient.email, patient.phone])),
                        "alert": patient.alert_note,
                        "url": reverse("admin:patients_patient_change", args=[patient.pk]),
                    }
                    for patient in patient_search(query=query, limit=10)
                ]
            }
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        patient = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if patient is not None:
            extra["history"] = patient_history(patient=patient, user=request.user)
            with contextlib.suppress(NoReverseMatch):  # no bookings app: nothing to book
                extra["book_again_url"] = (
                    reverse("admin:bookings_appointment_book") + f"?patient={patient.pk}"
                )
        return super().change_view(request, object_id, form_url, extra_context=extra)

    @admin.action(description=_("Merge the selected records (one person)"))
    def merge_selected(self, request: HttpRequest, queryset):
        if not self.has_change_permission(request):
            raise PermissionDenied
        chosen = list(queryset)
        if len(chosen) < 2:
            self.message_user(request, _("Choose two or more records to merge."), messages.ERROR)
            return None
        form = MergeForm(request.POST if "keep" in request.POST else None)
        form.fields["keep"].queryset = queryset
        if form.is_bound and form.is_valid():
            keep = form.cleaned_data["keep"]
            try:
                for duplicate in chosen:
                    if duplicate.pk != keep.pk:
                        patient_merge(keep=keep, duplicate=duplicate, actor=request.user)
            except PatientMergeError as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return None
            self.message_user(
                request, _("Merged into %(name)s.") % {"name": keep.name}, messages.SUCCESS
            )
            return redirect("admin:patients_patient_change", keep.pk)
        return TemplateResponse(
            request,
            "admin/patients/patient/merge.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Merge patient records"),
                "opts": self.model._meta,
                "form": form,
                "patients": chosen,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )
