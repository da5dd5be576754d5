"""A contact message's page in the back office: phone shown, mark replied, an internal note,
a reply by email through the outbox, no dead buttons or internal keys; delete only for those
who may."""

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group
from django.core import mail

from clinic.contact.models import ContactMessage
from clinic.contact.services import contact_message_create
from clinic.roles import Role, roles_sync
from tests.conftest import login_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def message(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        created = contact_message_create(
            name="Ann O'Brien",
            email="ann@example.com",
            phone="0113 496 0000",
            preferred_contact=ContactMessage.ContactMethod.PHONE,
            message="Can I come on Saturday?",
            privacy_acknowledged=True,
        )
    mail.outbox.clear()
    return created


def _login(client, django_user_model, role: Role):
    roles_sync()
    user = django_user_model.objects.create_user(username=role.name.lower(), is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    login_staff(client, user)
    return user


def _url(message) -> str:
    return f"/admin/contact/contactmessage/{message.pk}/change/"


def test_the_page_shows_the_phone_and_no_dead_buttons_or_keys(client, django_user_model, message):
    _login(client, django_user_model, Role.RECEPTIONIST)
    html = client.get(_url(message)).content.decode()
    assert "0113 496 0000" in html and "preferred: please call" in html
    assert 'name="_save"' not in html and 'name="_continue"' not in html
    assert "contact:" not in html  # no outbox keys
    assert "Mark replied" in html and "Send reply" in html
    assert "Delete this message" not in html  # not offered to reception


def test_a_receptionist_marks_a_message_replied(client, django_user_model, message):
    receptionist = _login(client, django_user_model, Role.RECEPTIONIST)
    response = client.post(_url(message), {"mark_replied": "1"}, follow=True)
    assert "Marked as replied." in response.content.decode()
    message.refresh_from_db()
    assert message.status == ContactMessage.Status.REPLIED
    assert message.replied_by == receptionist
    (change,) = message.status_changes.all()
    assert change.changed_by == receptionist


def test_an_internal_note_is_kept_and_audited_without_its_text(client, django_user_model, message):
    receptionist = _login(client, django_user_model, Role.RECEPTIONIST)
    client.post(_url(message), {"save_note": "1", "internal_note": "Called, no answer"})
    message.refresh_from_db()
    assert message.internal_note == "Called, no answer"
    entry = LogEntry.objects.get_for_object(message).filter(actor=receptionist).get()
    assert "internal_note" in entry.changes_dict
    assert "Called, no answer" not in str(entry.changes)


def test_a_reply_goes_through_the_outbox_and_marks_replied(
    client, django_user_model, message, django_capture_on_commit_callbacks
):
    _login(client, django_user_model, Role.RECEPTIONIST)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url(message), {"send_reply": "1", "body": "Yes, Saturday at 10 is free."}
        )
    assert response.status_code == 302
    (email,) = mail.outbox
    assert email.to == ["ann@example.com"]
    assert "Saturday at 10 is free" in email.body
    message.refresh_from_db()
    assert message.status == ContactMessage.Status.REPLIED
    assert message.notifications.filter(key__contains=":reply:").count() == 1


def test_an_empty_reply_is_refused_with_a_message(client, django_user_model, message):
    _login(client, django_user_model, Role.RECEPTIONIST)
    response = client.post(_url(message), {"send_reply": "1", "body": ""})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    message.refresh_from_db()
    assert message.status == ContactMessage.Status.NEW
    assert mail.outbox == []


def test_a_closed_message_cannot_be_answered(client, django_user_model, message):
    _login(client, django_user_model, Role.RECEPTIONIST)
    client.post(_url(message), {"close": "1"})
    response = client.post(_url(message), {"send_reply": "1", "body": "Hi"}, follow=True)
    assert response.status_code == 200
    assert "cannot become" in response.content.decode()
    assert mail.outbox == []


def test_a_receptionist_is_not_offered_delete_and_cannot_delete(client, django_user_model, message):
    _login(client, django_user_model, Role.RECEPTIONIST)
    assert client.get(f"/admin/contact/contactmessage/{message.pk}/delete/").status_code == 403
    assert ContactMessage.objects.filter(pk=message.pk).exists()


def test_a_manager_deletes_a_message(client, django_user_model, message):
    _login(client, django_user_model, Role.CLINIC_MANAGER)
    assert "Delete this message" in client.get(_url(message)).content.decode()
    response = client.post(f"/admin/contact/contactmessage/{message.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not ContactMessage.objects.filter(pk=message.pk).exists()


def test_a_practitioner_cannot_open_messages(client, django_user_model, message):
    _login(client, django_user_model, Role.PRACTITIONER)
    assert client.get(_url(message)).status_code == 403
    assert client.post(_url(message), {"mark_replied": "1"}).status_code == 403
