"""A last notice to a person being erased: sent, then gone; gone too if it cannot be sent.
And the one way a record's emails are deleted."""

import smtplib

import pytest
from django.core import mail

from clinic.notifications.models import Notification
from clinic.notifications.services import (
    DeliveryOutcome,
    notification_deliver,
    notification_erase_after_send,
)

from . import backends

pytestmark = pytest.mark.django_db


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "tests.clinic.notifications.backends.FlakyBackend"
    backends.failures.clear()
    yield backends.failures
    backends.failures.clear()


def test_the_row_goes_once_the_notice_is_sent(queue_hello):
    row = notification_erase_after_send(key=queue_hello().key)
    assert row.erase_after_send and row.source_id is None
    assert notification_deliver(notification_id=row.pk).result == DeliveryOutcome.SENT
    assert len(mail.outbox) == 1
    assert not Notification.objects.filter(pk=row.pk).exists()


def test_the_row_goes_when_the_notice_cannot_be_delivered(queue_hello, flaky):
    row = notification_erase_after_send(key=queue_hello().key)
    flaky.append(smtplib.SMTPRecipientsRefused({"ann@example.com": (550, b"no such user")}))
    assert notification_deliver(notification_id=row.pk).result == DeliveryOutcome.FAILED
    assert not Notification.objects.filter(pk=row.pk).exists()


def test_an_already_sent_row_is_simply_deleted(queue_hello):
    row = queue_hello()
    notification_deliver(notification_id=row.pk)
    assert notification_erase_after_send(key=row.key) is None
    assert not Notification.objects.filter(pk=row.pk).exists()
