"""notification_queue: what it stores, when it sends, and what it refuses."""

import logging
from email import message_from_bytes

import pytest
from django.core import mail
from django.db import transaction
from kombu.exceptions import OperationalError

from clinic.notifications.models import Notification
from clinic.notifications.services import (
    InvalidAddressError,
    notification_queue,
    staff_recipients,
)
from clinic.notifications.tasks import notification_send

pytestmark = pytest.mark.django_db


def test_queue_stores_the_rendered_email_and_sends_it_after_commit(
    queue_hello, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = queue_hello(
            reply_to=["reception@clinic.test"],
            attachments=[("visit.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")],
        )
        assert mail.outbox == []  # nothing leaves before the transaction commits

    assert len(callbacks) == 1
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 1
    assert notification.sent_at is not None
    assert notification.to == ["ann@example.com"]
    assert notification.reply_to == ["reception@clinic.test"]
    assert notification.body_text.startswith("Hello Ann, see https://clinic.example/x")
    assert "Kestrel Back Clinic" in notification.body_text
    assert "<p>Hello Ann</p>" in notification.body_html
    assert notification.source == queue_hello.source
    assert notification.message_id.startswith("<notification.")

    [email] = mail.outbox
    assert email.to == ["ann@example.com"]
    assert email.reply_to == ["reception@clinic.test"]
    assert email.subject == "Hello"
    assert email.extra_headers["Message-ID"] == notification.message_id
    assert email.alternatives[0][1] == "text/html"
    parsed = message_from_bytes(email.message().as_bytes())
    assert parsed["Message-ID"] == notification.message_id
    assert parsed["Auto-Submitted"] == "auto-generated"
    [attachment] = [part for part in parsed.walk() if part.get_filename()]
    assert attachment.get_filename() == "visit.ics"
    assert attachment.get_content_type() == "text/calendar"


def test_queuing_the_same_key_twice_sends_once(queue_hello, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue_hello()
        second = queue_hello(subject="Something else")
    with django_capture_on_commit_callbacks(execute=True) as later:
        third = queue_hello()
    assert first.pk == second.pk == third.pk
    assert later == []
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Hello"


def test_a_rollback_leaves_no_row_and_sends_nothing(
    queue_hello, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue_hello()
        raise RuntimeError("the booking could not be saved")
    assert callbacks == []
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_patient_text_is_escaped_in_html_and_plain_in_text(queue_hello):
    notification = queue_hello(context={"name": "<script>alert('x')</script> O'Brien & Co"})
    assert "<script>" not in notification.body_html
    assert "&lt;script&gt;" in notification.body_html
    assert "O&#x27;Brien &amp; Co" in notification.body_html
    assert "<script>alert('x')</script> O'Brien & Co" in notification.body_text


def test_subject_is_reduced_to_one_line(queue_hello):
    notification = queue_hello(subject="Message from Ann\r\nBcc: evil@example.com")
    assert notification.subject == "Message from Ann Bcc: evil@example.com"


@pytest.mark.parametrize(
    "field",
    [
        {"to": ["ann@example.com\nBcc: evil@example.com"]},
        {"to": ["ann@example.com, evil@example.com"]},
        {"to": []},
        {"reply_to": ["ann@example.com\r\nCc: evil@example.com"]},
    ],
)
def test_unsafe_addresses_are_refused(queue_hello, field):
    with pytest.raises(InvalidAddressError):
        queue_hello(**field)
    assert Notification.objects.count() == 0


def test_a_broker_outage_is_logged_and_the_row_waits_for_the_sweep(
    queue_hello, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(notification_send, "apply_async", broker_down)
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        notification = queue_hello()
    notification.refresh_from_db()
    assert notification.status == Notification.Status.PENDING
    assert mail.outbox == []
    assert "the outbox sweep will send it" in caplog.text


def test_queue_works_without_a_source(test_templates, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_queue(
            key="test:nosource",
            to="ann@example.com",
            subject="Hi",
            template="emails/testing/hello",
            context={"name": "Ann"},
        )
    assert notification.source is None
    assert len(mail.outbox) == 1


def test_staff_recipients_come_from_settings(settings):
    settings.STAFF_NOTIFICATION_EMAILS = ["Reception <reception@clinic.test>", "b@clinic.test"]
    assert staff_recipients() == ["Reception <reception@clinic.test>", "b@clinic.test"]


def test_staff_recipients_refuse_an_empty_list(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.STAFF_NOTIFICATION_EMAILS = []
    with pytest.raises(ImproperlyConfigured):
        staff_recipients()


def test_system_check_reports_missing_or_bad_staff_addresses(settings):
    from clinic.notifications.checks import staff_notification_emails_check

    assert staff_notification_emails_check(None) == []
    settings.STAFF_NOTIFICATION_EMAILS = []
    assert [e.id for e in staff_notification_emails_check(None)] == ["notifications.E001"]
    settings.STAFF_NOTIFICATION_EMAILS = ["reception@clinic.test\nBcc: x@y.z"]
    assert [e.id for e in staff_notification_emails_check(None)] == ["notifications.E002"]
