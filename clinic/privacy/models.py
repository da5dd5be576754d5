"""A record of each subject access or erasure request that staff carried out."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DataSubjectRequest(models.Model):
    """Who asked for what about which person, and what was done.

    The email address itself is not kept here (it may be the very thing that was erased):
    only a keyed hash, so a later request for the same address can be matched to this one.
    """

    class Kind(models.TextChoices):
        EXPORT = "export", _("Subject access (export)")
        ERASE = "erase", _("Erasure")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    email_hash = models.CharField(_("email (keyed hash)"), max_length=64, db_index=True)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("performed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    performed_at = models.DateTimeField(_("performed at"), auto_now_add=True)
    summary = models.JSONField(_("what was found and done"), default=dict)

    class Meta:
        verbose_name = _("data subject request")
        verbose_name_plural = _("data subject requests")
        ordering = ["-performed_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["export", "erase"]), name="dsr_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.performed_at:%d %b %Y %H:%M}"
