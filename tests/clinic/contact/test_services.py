"""contact_message_create and the status changes staff make."""

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from clinic.contact.models import ContactMessage, IllegalStatusChangeError
from clinic.contact.services import (
    contact_message_close,
    contact_message_create,
    contact_message_mark_replied,
)
from clinic.notifications.models import Notification

from .factories import ContactMessageFactory

pytestmark = pytest.mark.django_db


def create(**overrides) -> ContactMessage:
    kwargs = {
        "name": "Ann O'Brien",
        "email": "ann@example.com",
        "message": "Hello <b>there</b> & <script>alert(1)</script>",
        "privacy_acknowledged": True,
    }
    return contact_message_create(**{**kwargs, **overrides})


def test_create_saves_the_message_and_emails_staff_and_the_patient(
    django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        contact_message = create(phone="0113 496 0000", preferred_contact="phone")

    assert contact_message.status == ContactMessage.Status.NEW
    assert contact_message.privacy_notice_version == settings.PRIVACY_NOTICE_VERSION
    keys = set(contact_message.notifications.values_list("key", "status"))
    assert keys == {
        (f"contact:{contact_message.pk}:staff", "sent"),
        (f"contact:{contact_message.pk}:acknowledgement", "sent"),
    }

    staff, acknowledgement = sorted(
        mail.outbox, key=lambda m: m.to != settings.STAFF_NOTIFICATION_EMAILS
    )
    assert staff.to == ["reception@clinic.test", "physio@clinic.test"]
    assert staff.reply_to == ["ann@example.com"]
    assert staff.subject == "New contact message from Ann O'Brien"
    admin_link = f"https://clinic.example/admin/contact/contactmessage/{contact_message.pk}/change/"
    assert admin_link in staff.body
    assert "Hello <b>there</b> & <script>alert(1)</script>" in staff.body
    assert "Ann O'Brien" in staff.body
    html = staff.alternatives[0][0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in html and "<b>there" not in html
    assert f'href="{admin_link}"' in html

    assert acknowledgement.to == ["ann@example.com"]
    assert acknowledgement.reply_to == []
    # Nothing the patient typed is sent back to the address they typed.
    assert "Ann" not in acknowledgement.body and "script" not in acknowledgement.body


def test_a_rollback_after_save_sends_nothing(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        create()
        raise RuntimeError("something later in the request failed")
    assert callbacks == []
    assert ContactMessage.objects.count() == 0
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_create_refuses_without_privacy_acknowledgement():
    with pytest.raises(ValueError, match="privacy"):
        create(privacy_acknowledged=False)
    assert ContactMessage.objects.count() == 0


def test_a_newline_in_the_name_cannot_add_a_header(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        create(name="Ann\r\nBcc: evil@example.com")
    staff = next(m for m in mail.outbox if "physio@clinic.test" in m.to)
    assert staff.subject == "New contact message from Ann Bcc: evil@example.com"
    message = staff.message()
    assert message["Bcc"] is None
    assert all("evil" not in address for address in staff.recipients())


def test_mark_replied_and_close_follow_the_workflow(staff_user):
    contact_message = ContactMessageFactory()
    contact_message_mark_replied(contact_message=contact_message, actor=staff_user)
    contact_message.refresh_from_db()
    assert contact_message.status == ContactMessage.Status.REPLIED
    assert contact_message.replied_by == staff_user
    assert contact_message.replied_at is not None

    contact_message_close(contact_message=contact_message)
    with pytest.raises(IllegalStatusChangeError):
        contact_message_mark_replied(contact_message=contact_message)


@pytest.mark.parametrize(
    "fields",
    [
        {"preferred_contact": "phone", "phone": ""},
        {"privacy_notice_version": ""},
        {"status": "lost"},
        {"status": "replied", "replied_at": None},
        {"message": ""},
    ],
)
def test_database_constraints(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactMessageFactory(**fields)


def test_each_status_change_is_recorded_with_who_and_when(staff_user):
    contact_message = ContactMessageFactory()
    contact_message_mark_replied(contact_message=contact_message, actor=staff_user)
    contact_message_close(contact_message=contact_message, actor=staff_user)
    history = list(contact_message.status_changes.values_list("from_status", "to_status"))
    assert history == [("new", "replied"), ("replied", "closed")]
    assert {change.changed_by for change in contact_message.status_changes.all()} == {staff_user}
