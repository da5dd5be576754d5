"""A record of each subject access or erasure request: when it came in, when it is due, who
handled it and what was done."""

import calendar
import secrets
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def request_reference_generate() -> str:
    return "DSR-" + "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(8))


def one_month_after(day: date) -> date:
    """The same day next month, or that month's last day (UK GDPR: one calendar month)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    last = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last))


class DataSubjectRequest(models.Model):
    """Who asked for what, when it is due, and what was done.

    While a request is open it keeps the address it is about (``subject_email``), so it can be
    carried out; once completed that is cleared and only a keyed hash remains, so a later
    request for the same address can be matched to this one: a reference, dates, who handled
    it and the hash are what accountability needs.
    """

    class Kind(models.TextChoices):
        EXPORT = "export", _("Subject access (export)")
        ERASE = "erase", _("Erasure")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        COMPLETED = "completed", _("Completed")

    reference = models.CharField(
        _("reference"),
        max_length=12,
        unique=True,
        default=request_reference_generate,
        editable=False,
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    requested_on = models.DateField(_("requested on"), default=timezone.localdate)
    subject_email = models.EmailField(
        _("email (while open)"), blank=True, help_text=_("Cleared when the request is completed.")
    )
    email_hash = models.CharField(_("email (keyed hash)"), max_length=64, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    performed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    summary = models.JSONField(_("what was found and done"), default=dict)

    class Meta:
        verbose_name = _("data subject request")
        verbose_name_plural = _("data subject requests")
        ordering = ["-requested_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["export", "erase"]), name="dsr_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="open", performed_at__isnull=True)
                | Q(status="completed", performed_at__isnull=False, subject_email=""),
                name="dsr_completed_keeps_no_address",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.get_kind_display()}"

    @property
    def due_on(self) -> date:
        return one_month_after(self.requested_on)

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and timezone.localdate() > self.due_on
