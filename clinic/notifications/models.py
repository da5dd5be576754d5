"""The outbox: one row per email, written in the same transaction as the thing it is about.

The row is the record of truth and of what was sent (subject, bodies, recipients, attachments),
so an email survives a broker outage, a dead worker or a failing mail server: the send task and
the outbox sweep deliver whatever is still pending.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def pending(self) -> "NotificationQuerySet":
        return self.filter(status=Notification.Status.PENDING)

    def overdue(self, *, before) -> "NotificationQuerySet":
        """Pending rows whose send was due before ``before`` and so has probably been lost."""
        return self.pending().filter(next_attempt_at__lt=before)

    def for_source(self, source: models.Model) -> "NotificationQuerySet":
        return self.filter(
            source_type=ContentType.objects.get_for_model(source), source_id=source.pk
        )


class Notification(models.Model):
    """One email: what it says, to whom, and how far its delivery has got."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    key = models.CharField(
        _("key"),
        max_length=200,
        unique=True,
        help_text=_(
            "Idempotency key, e.g. contact:42:staff. Queuing the same key twice is a no-op."
        ),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    from_email = models.CharField(_("from"), max_length=320)
    to = models.JSONField(_("to"), default=list)
    reply_to = models.JSONField(_("reply to"), default=list, blank=True)
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("plain text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    attachments = models.JSONField(
        _("attachments"),
        default=list,
        blank=True,
        help_text=_("A list of [filename, text content, MIME type]."),
    )
    message_id = models.CharField(
        _("Message-ID"),
        max_length=255,
        unique=True,
        help_text=_("The same on every attempt, so a mail client can recognise a repeat."),
    )
    source_type = models.ForeignKey(
        ContentType,
        verbose_name=_("about (type)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    source_id = models.PositiveBigIntegerField(_("about (id)"), null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")

    erase_after_send = models.BooleanField(
        _("delete once sent"),
        default=False,
        help_text=_(
            "A notice sent while erasing the person it is about: the row goes once it is sent."
        ),
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(
        _("next attempt due"),
        help_text=_("When a send is next expected; the sweep re-queues rows long past this."),
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="notification_pending_due_idx",
            ),
            models.Index(fields=["source_type", "source_id"], name="notification_source_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sent", "failed"]),
                name="notification_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False)
                | (~Q(status="sent") & Q(sent_at__isnull=True)),
                name="notification_sent_at_iff_sent",
            ),
            models.CheckConstraint(
                condition=Q(status="failed", failed_at__isnull=False) | ~Q(status="failed"),
                name="notification_failed_has_failed_at",
            ),
            models.CheckConstraint(
                condition=Q(source_type__isnull=True, source_id__isnull=True)
                | Q(source_type__isnull=False, source_id__isnull=False),
                name="notification_source_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.key
