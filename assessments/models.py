"""Stored self-assessments: kept only with the patient's explicit consent.

Health answers are special-category data under UK GDPR. A :class:`Submission` row exists only
when the patient ticked the separate "keep my answers" consent on the result page; without it
the result is shown and nothing reaches the database. Each row carries its own deletion date
(``retain_until``) and the privacy notice version the patient agreed to.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assessments.triage import Level


class TriageLevel(models.TextChoices):
    """The stored form of :class:`assessments.triage.Level`, most serious first."""

    EMERGENCY = Level.EMERGENCY.value, _("Emergency: 999 or A&E")
    URGENT = Level.URGENT.value, _("Urgent: GP today or NHS 111")
    NOT_ASSESSED = Level.NOT_ASSESSED.value, _("Not assessed: under 16")
    BOOK_ASSESSMENT = Level.BOOK_ASSESSMENT.value, _("Book an assessment")
    SELF_CARE = Level.SELF_CARE.value, _("Self-care")


#: Levels at which staff are alerted when the patient agreed to be contacted.
ALERT_LEVELS = frozenset({TriageLevel.EMERGENCY, TriageLevel.URGENT})


class SubmissionQuerySet(models.QuerySet):
    def unreviewed(self) -> "SubmissionQuerySet":
        return self.filter(reviewed_at__isnull=True)

    def reviewed(self) -> "SubmissionQuerySet":
        return self.filter(reviewed_at__isnull=False)

    def past_retention(self, *, today) -> "SubmissionQuerySet":
        """Submissions whose retention period is over and which must now be deleted.

        One shared with a practitioner for an appointment is part of that clinical record
        and is kept with it.
        """
        return self.filter(retain_until__lt=today, appointments__isnull=True)


class Submission(models.Model):
    """One completed self-assessment, stored with the patient's consent."""

    public_id = models.UUIDField(
        _("reference"), default=uuid.uuid4, unique=True, editable=False, db_index=True
    )
    ruleset_version = models.CharField(_("ruleset version"), max_length=20)
    wording_version = models.CharField(
        _("wording version"),
        max_length=20,
        help_text=_("The version of the questions and advice the patient was shown."),
    )
    answers = models.JSONField(
        _("answers"), help_text=_("The validated answers, keyed by question field name.")
    )
    level = models.CharField(_("result"), max_length=20, choices=TriageLevel.choices)
    rule_ids = models.JSONField(
        _("triggered rules"), default=list, help_text=_("Rule ids, most serious first.")
    )
    consent_health_storage_at = models.DateTimeField(_("consent to store health answers given at"))
    privacy_notice_version = models.CharField(_("privacy notice version"), max_length=20)
    contact_consent_at = models.DateTimeField(
        _("consent to be contacted given at"), null=True, blank=True
    )
    contact_name = models.CharField(_("name"), max_length=150, blank=True)
    contact_email = models.EmailField(_("email"), blank=True)
    contact_phone = models.CharField(_("phone"), max_length=30, blank=True)
    retain_until = models.DateField(
        _("keep until"), help_text=_("The answers are deleted automatically after this date.")
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True, db_index=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=TriageLevel.values), name="assessments_submission_level_valid"
            ),
            # Contact details are kept if, and only if, the patient agreed to be contacted,
            # and then there is a name and a way to reach them.
            models.CheckConstraint(
                condition=(
                    Q(
                        contact_consent_at__isnull=True,
                        contact_name="",
                        contact_email="",
                        contact_phone="",
                    )
                    | (
                        Q(contact_consent_at__isnull=False)
                        & ~Q(contact_name="")
                        & (~Q(contact_email="") | ~Q(contact_phone=""))
                    )
                ),
                name="assessments_submission_contact_iff_consent",
            ),
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True) | Q(reviewed_at__isnull=False),
                name="assessments_submission_reviewer_has_time",
            ),
        ]

    def __str__(self) -> str:
        # No level or answer here: this is what the audit log and admin messages record.
        return f"Self-assessment {str(self.public_id)[:8]}"

    def get_admin_url(self) -> str:
        return reverse("admin:assessments_submission_change", args=[self.pk])

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None

    @property
    def has_contact_consent(self) -> bool:
        return self.contact_consent_at is not None


class OutcomeCountQuerySet(models.QuerySet):
    def assessments(self) -> "OutcomeCountQuerySet":
        """The rows that count completed assessments (one per assessment), not rules."""
        return self.filter(rule_id=OutcomeCount.ALL_RULES)

    def since(self, day) -> "OutcomeCountQuerySet":
        return self.filter(day__gte=day)


class OutcomeCount(models.Model):
    """How many completed self-assessments gave a level, per day, ruleset version and rule.

    Anonymous by design: counts only, no answers, no identifiers, no row per person, and it
    is counted for every completed assessment whether or not the patient agreed to storage.
    A row with ``rule_id`` :attr:`ALL_RULES` counts the assessments at that level; the others
    count how often each rule fired within them.
    """

    #: The ``rule_id`` of the rows that count assessments rather than rules.
    ALL_RULES = ""

    day = models.DateField(_("day"), help_text=_("In the clinic's time zone."))
    ruleset_version = models.CharField(_("ruleset version"), max_length=20)
    level = models.CharField(_("result"), max_length=20, choices=TriageLevel.choices)
    rule_id = models.CharField(_("rule"), max_length=30, blank=True)
    count = models.PositiveIntegerField(_("count"), default=0)

    objects = OutcomeCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("self-assessment outcome count")
        verbose_name_plural = _("self-assessment outcome counts")
        ordering = ["-day", "ruleset_version", "level", "rule_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "ruleset_version", "level", "rule_id"],
                name="assessments_outcomecount_one_row_per_key",
            ),
            models.CheckConstraint(
                condition=Q(level__in=TriageLevel.values),
                name="assessments_outcomecount_level_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.ruleset_version} {self.level} {self.rule_id or '*'}: {self.count}"
