"""The patient: one record per person, which appointments, messages and assessments link to."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PatientQuerySet(models.QuerySet):
    def current(self) -> "PatientQuerySet":
        """Patients not merged into another record."""
        return self.filter(merged_into__isnull=True)


class Patient(models.Model):
    """One person. ``email_normalised`` and ``phone_normalised`` are what matching and search
    use; ``email`` and ``phone`` keep what was typed. A duplicate merged by staff stays, pointing
    at the record it was merged into, so the history of the merge is kept."""

    class ContactMethod(models.TextChoices):
        EMAIL = "email", _("Email")
        PHONE = "phone", _("Phone")
        EITHER = "either", _("Either")

    name = models.CharField(_("name"), max_length=150)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    email = models.EmailField(_("email"), blank=True)
    email_normalised = models.CharField(
        _("email (for matching)"), max_length=254, blank=True, editable=False, db_index=True
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    phone_normalised = models.CharField(
        _("phone (for matching)"), max_length=30, blank=True, editable=False, db_index=True
    )
    preferred_contact = models.CharField(
        _("preferred contact"),
        max_length=10,
        choices=ContactMethod.choices,
        default=ContactMethod.EMAIL,
    )
    alert_note = models.CharField(
        _("alert"),
        max_length=300,
        blank=True,
        help_text=_("Shown to staff wherever the patient appears, e.g. 'hard of hearing'."),
    )
    care_privacy_notice_version = models.CharField(
        _("privacy notice accepted (care)"), max_length=20, blank=True
    )
    marketing_consent_at = models.DateTimeField(
        _("marketing consent given"),
        null=True,
        blank=True,
        help_text=_("Separate from consent to care: empty means no marketing emails."),
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_duplicates",
        editable=False,
    )
    merged_at = models.DateTimeField(_("merged"), null=True, blank=True, editable=False)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("merged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("first seen"), auto_now_add=True)

    objects = PatientQuerySet.as_manager()

    class Meta:
        verbose_name = _("patient")
        verbose_name_plural = _("patients")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["name"], name="patient_name_idx")]
        constraints = [
            # One current record per address: two requests arriving at once for a new patient
            # cannot both create one (the loser matches the winner's row).
            models.UniqueConstraint(
                fields=["email_normalised"],
                condition=Q(merged_into__isnull=True) & ~Q(email_normalised=""),
                name="patient_one_current_per_email",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("pk")), name="patient_not_merged_into_itself"
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True, merged_at__isnull=True)
                | Q(merged_into__isnull=False, merged_at__isnull=False),
                name="patient_merged_at_iff_merged",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_admin_url(self) -> str:
        return reverse("admin:patients_patient_change", args=[self.pk])

    @property
    def has_marketing_consent(self) -> bool:
        return self.marketing_consent_at is not None
