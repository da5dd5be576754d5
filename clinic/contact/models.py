"""Messages patients send through the contact form."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinic.notifications.models import Notification
from clinic.states import IllegalTransition, Transitions

NAME_MAX_LENGTH = 100
PHONE_MAX_LENGTH = 30
MESSAGE_MAX_LENGTH = 3000


class IllegalStatusChangeError(IllegalTransition):
    """A status change the workflow does not allow (closed messages stay closed)."""


class ContactMessage(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        REPLIED = "replied", _("Replied")
        CLOSED = "closed", _("Closed")

    class ContactMethod(models.TextChoices):
        EMAIL = "email", _("Email")
        PHONE = "phone", _("Phone")

    # Which status may follow which; anything else is an IllegalStatusChangeError.
    TRANSITIONS = Transitions(
        {
            Status.NEW: {Status.REPLIED, Status.CLOSED},
            Status.REPLIED: {Status.REPLIED, Status.CLOSED},
            Status.CLOSED: set(),
        },
        error=IllegalStatusChangeError,
    )

    patient = models.ForeignKey(
        "patients.Patient",
        verbose_name=_("patient"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contact_messages",
    )
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    email = models.EmailField(_("email"), max_length=254)
    phone = models.CharField(_("phone"), max_length=PHONE_MAX_LENGTH, blank=True)
    preferred_contact = models.CharField(
        _("preferred way to be contacted"),
        max_length=10,
        choices=ContactMethod.choices,
        default=ContactMethod.EMAIL,
    )
    message = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH)
    privacy_notice_version = models.CharField(
        _("privacy notice version acknowledged"), max_length=20
    )
    privacy_acknowledged_at = models.DateTimeField(_("privacy notice acknowledged at"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW, db_index=True
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("replied by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    internal_note = models.TextField(
        _("internal note"),
        blank=True,
        max_length=MESSAGE_MAX_LENGTH,
        help_text=_("For staff only; never sent to the patient."),
    )
    notifications = GenericRelation(
        Notification, content_type_field="source_type", object_id_field="source_id"
    )

    class Meta:
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["new", "replied", "closed"]),
                name="contact_message_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(preferred_contact__in=["email", "phone"]),
                name="contact_message_preferred_contact_valid",
            ),
            models.CheckConstraint(
                condition=~Q(preferred_contact="phone") | ~Q(phone=""),
                name="contact_message_phone_when_preferred",
            ),
            models.CheckConstraint(
                condition=~Q(privacy_notice_version=""),
                name="contact_message_privacy_acknowledged",
            ),
            models.CheckConstraint(
                condition=~Q(name="") & ~Q(email="") & ~Q(message=""),
                name="contact_message_required_fields",
            ),
            models.CheckConstraint(
                condition=Q(status="new") | Q(replied_at__isnull=False) | Q(status="closed"),
                name="contact_message_replied_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.created_at:%d %b %Y %H:%M})" if self.created_at else self.name

    def get_admin_url(self) -> str:
        return reverse("admin:contact_contactmessage_change", args=[self.pk])


class ContactMessageStatusChange(models.Model):
    """One change to a contact message's status: who answered or closed it, and when.

    Written only by the services (``clinic.states.status_transition``), in the transaction that
    makes the change.
    """

    contact_message = models.ForeignKey(
        ContactMessage,
        verbose_name=_("contact message"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    from_status = models.CharField(
        _("from"), max_length=10, choices=ContactMessage.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=10, choices=ContactMessage.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("contact message change")
        verbose_name_plural = _("contact message changes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.contact_message_id}: {self.from_status or '-'} → {self.to_status}"
