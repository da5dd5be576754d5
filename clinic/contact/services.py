"""Writes to contact messages: the form, the admin and anything else use these."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from clinic.notifications.services import notification_queue, staff_recipients
from clinic.patients.services import patient_match_or_create
from clinic.states import status_transition

from .models import ContactMessage, ContactMessageStatusChange


def contact_message_create(
    *,
    name: str,
    email: str,
    message: str,
    privacy_acknowledged: bool,
    phone: str = "",
    preferred_contact: ContactMessage.ContactMethod = ContactMessage.ContactMethod.EMAIL,
) -> ContactMessage:
    """Save a patient's message and queue the staff email and the patient's acknowledgement.

    Both emails are outbox rows written in the same transaction as the message, so either all
    three exist or none does; they are sent after commit.
    """
    if not privacy_acknowledged:
        raise ValueError("A contact message needs the privacy notice acknowledged.")
    with transaction.atomic():
        contact_message = ContactMessage.objects.create(
            patient=patient_match_or_create(
                name=name,
                email=email,
                phone=phone,
                privacy_notice_version=settings.PRIVACY_NOTICE_VERSION,
            ),
            name=name,
            email=email,
            phone=phone,
            preferred_contact=preferred_contact,
            message=message,
            privacy_notice_version=settings.PRIVACY_NOTICE_VERSION,
            privacy_acknowledged_at=timezone.now(),
        )
        notification_queue(
            key=f"contact:{contact_message.pk}:staff",
            to=staff_recipients(),
            reply_to=[contact_message.email],
            subject=f"New contact message from {contact_message.name}",
            template="emails/contact/staff_new_message",
            context={
                "contact_message": contact_message,
                "admin_link": settings.SITE_URL + contact_message.get_admin_url(),
            },
            source=contact_message,
        )
        # Nothing the patient typed goes into the acknowledgement: anyone can enter anyone's
        # address in a public form, and the clinic must not become a way to mail strangers.
        notification_queue(
            key=f"contact:{contact_message.pk}:acknowledgement",
            to=[contact_message.email],
            subject=f"We have received your message - {settings.CLINIC_NAME}",
            template="emails/contact/acknowledgement",
            context={},
            source=contact_message,
        )
    return contact_message


def contact_message_mark_replied(
    *, contact_message: ContactMessage, actor: AbstractBaseUser | None = None
) -> ContactMessage:
    """Record that staff have answered the message."""
    now = timezone.now()
    with transaction.atomic():
        contact_message.replied_at = now
        contact_message.replied_by = actor
        status_transition(
            contact_message,
            to_status=ContactMessage.Status.REPLIED,
            transitions=ContactMessage.TRANSITIONS,
            history=ContactMessageStatusChange,
            also_save=["replied_at", "replied_by"],
            contact_message=contact_message,
            changed_by=actor,
            created_at=now,
        )
    return contact_message


def contact_message_close(
    *, contact_message: ContactMessage, actor: AbstractBaseUser | None = None
) -> ContactMessage:
    """Close the message: nothing more to do."""
    with transaction.atomic():
        status_transition(
            contact_message,
            to_status=ContactMessage.Status.CLOSED,
            transitions=ContactMessage.TRANSITIONS,
            history=ContactMessageStatusChange,
            contact_message=contact_message,
            changed_by=actor,
        )
    return contact_message


#: Longest reply staff may send from the admin.
REPLY_MAX_LENGTH = 5000


def contact_message_note_save(
    *, contact_message: ContactMessage, note: str, actor: AbstractBaseUser | None = None
) -> ContactMessage:
    """Keep staff's internal note on the message (never sent to the patient)."""
    note = note.strip()
    if len(note) > ContactMessage._meta.get_field("internal_note").max_length:
        raise ValueError("The note is too long.")
    contact_message.internal_note = note
    contact_message.save(update_fields=["internal_note"])  # auditlog records who
    return contact_message


def contact_message_reply(
    *,
    contact_message: ContactMessage,
    body: str,
    actor: AbstractBaseUser,
) -> ContactMessage:
    """Email the patient a reply through the outbox, and mark the message replied.

    The email and the status change are one transaction: a reply that cannot be recorded is
    not sent, and a closed message cannot be answered.
    """
    body = body.strip()
    if not body:
        raise ValueError("Write the reply first.")
    if len(body) > REPLY_MAX_LENGTH:
        raise ValueError("The reply is too long.")
    with transaction.atomic():
        locked = ContactMessage.objects.select_for_update().get(pk=contact_message.pk)
        ContactMessage.TRANSITIONS.check(locked.status, ContactMessage.Status.REPLIED)
        sent_before = locked.notifications.filter(key__contains=":reply:").count()
        notification_queue(
            key=f"contact:{locked.pk}:reply:{sent_before + 1}",
            to=[locked.email],
            reply_to=[settings.CLINIC_EMAIL],
            subject=f"Re: your message to {settings.CLINIC_NAME}",
            template="emails/contact/reply",
            context={"name": locked.name, "body": body},
            source=locked,
        )
        contact_message_mark_replied(contact_message=locked, actor=actor)
    contact_message.refresh_from_db()
    return contact_message


@transaction.atomic
def contact_message_delete(*, contact_message: ContactMessage) -> None:
    """Delete a message with its emails (which quote it) and its history."""
    contact_message.notifications.all().delete()
    contact_message.delete()
