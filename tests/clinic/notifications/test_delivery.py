"""The send task and notification_deliver: idempotency, retries, failure, the sweep."""

import smtplib
from datetime import timedelta

import pytest
import time_machine
from celery.exceptions import Retry
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from clinic.notifications.models import Notification
from clinic.notifications.services import (
    DeliveryOutcome,
    notification_deliver,
    notification_outbox_sweep,
    notification_retry_now,
)
from clinic.notifications.tasks import notification_send, outbox_sweep

from . import backends

pytestmark = pytest.mark.django_db


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "tests.clinic.notifications.backends.FlakyBackend"
    backends.failures.clear()
    yield backends.failures
    backends.failures.clear()


@pytest.fixture
def pending(queue_hello):
    """A queued row whose task has not run (its on-commit hook never fires inside the test's
    transaction: as if the broker had lost the task)."""
    return queue_hello()


def test_deliver_sends_once_however_often_it_runs(pending):
    assert notification_deliver(notification_id=pending.pk).result == DeliveryOutcome.SENT
    assert notification_deliver(notification_id=pending.pk).result == DeliveryOutcome.SKIPPED
    notification_send.apply(args=[pending.pk])
    notification_send.apply(args=[pending.pk])
    assert len(mail.outbox) == 1
    pending.refresh_from_db()
    assert pending.attempts == 1


def test_deliver_skips_a_row_that_no_longer_exists(db):
    assert notification_deliver(notification_id=424242).result == DeliveryOutcome.SKIPPED


def test_a_transient_error_is_recorded_and_retried_later(pending, flaky):
    flaky.append(smtplib.SMTPDataError(451, b"4.3.0 try again later"))
    before = timezone.now()
    outcome = notification_deliver(notification_id=pending.pk)
    assert outcome.result == DeliveryOutcome.RETRY
    assert 5 <= outcome.retry_in <= 15  # base 10 s, ±50 %
    pending.refresh_from_db()
    assert pending.status == Notification.Status.PENDING
    assert pending.attempts == 1
    assert "451" in pending.last_error
    assert pending.next_attempt_at >= before + timedelta(seconds=5)
    assert mail.outbox == []

    # A stray task arriving before the retry is due does nothing...
    assert notification_deliver(notification_id=pending.pk).result == DeliveryOutcome.SKIPPED
    # ...and the retry, when due, delivers.
    with time_machine.travel(pending.next_attempt_at, tick=False):
        assert notification_deliver(notification_id=pending.pk).result == DeliveryOutcome.SENT
    assert len(mail.outbox) == 1
    pending.refresh_from_db()
    assert pending.attempts == 2


def test_a_permanent_refusal_fails_at_once(pending, flaky):
    flaky.append(smtplib.SMTPRecipientsRefused({"ann@example.com": (550, b"no such user")}))
    assert notification_deliver(notification_id=pending.pk).result == DeliveryOutcome.FAILED
    pending.refresh_from_db()
    assert pending.status == Notification.Status.FAILED
    assert pending.failed_at is not None
    assert pending.attempts == 1


def test_the_last_attempt_marks_the_row_failed(pending, flaky, settings):
    flaky.extend(ConnectionRefusedError(111, "refused") for _ in range(5))
    outcomes = []
    for _ in range(settings.NOTIFICATION_MAX_ATTEMPTS):
        pending.refresh_from_db()
        with time_machine.travel(pending.next_attempt_at, tick=False):
            outcomes.append(notification_deliver(notification_id=pending.pk).result)
    assert outcomes == ["retry", "retry", "failed"]
    pending.refresh_from_db()
    assert pending.status == Notification.Status.FAILED
    assert pending.attempts == 3
    assert "ConnectionRefusedError" in pending.last_error


def test_the_task_asks_celery_to_retry_with_the_backoff(pending, flaky, monkeypatch):
    flaky.append(smtplib.SMTPServerDisconnected("Connection unexpectedly closed"))
    requested = {}

    def fake_retry(countdown=None, **kwargs):
        requested["countdown"] = countdown
        return Retry("retrying", when=countdown)

    monkeypatch.setattr(notification_send, "retry", fake_retry)
    with pytest.raises(Retry):
        notification_send.run(pending.pk)
    assert 5 <= requested["countdown"] <= 15


def test_the_task_does_not_retry_in_process(pending, flaky):
    """Without a broker a retry would run at once; the row is left for the sweep instead."""
    flaky.append(smtplib.SMTPServerDisconnected("gone"))
    result = notification_send.apply(args=[pending.pk])
    assert result.get() == "retry"
    pending.refresh_from_db()
    assert pending.status == Notification.Status.PENDING


def test_sweep_requeues_only_overdue_pending_rows(pending, queue_hello, settings):
    settings.NOTIFICATION_SWEEP_AFTER_SECONDS = 120
    already_sent = queue_hello(key="test:2:sent")
    notification_deliver(notification_id=already_sent.pk)
    assert notification_outbox_sweep() == []  # not overdue yet

    with time_machine.travel(timezone.now() + timedelta(seconds=121)):
        swept = notification_outbox_sweep()
    assert swept == [pending.pk]
    pending.refresh_from_db()
    assert pending.status == Notification.Status.SENT
    assert len(mail.outbox) == 2  # one each: the sweep did not send `already_sent` again


def test_sweep_leaves_rows_for_the_next_run_when_the_broker_is_down(
    queue_hello, monkeypatch, settings
):
    rows = [queue_hello(key=f"test:{n}:hello") for n in range(3)]
    monkeypatch.setattr("clinic.notifications.services.notification_enqueue", lambda **kw: False)
    with time_machine.travel(timezone.now() + timedelta(seconds=200)):
        assert notification_outbox_sweep() == []
        # Still overdue, so the next sweep (broker back) picks them all up at once.
        assert Notification.objects.overdue(before=timezone.now()).count() == 3
    assert {row.pk for row in rows} == set(
        Notification.objects.pending().values_list("pk", flat=True)
    )


def test_sweep_task_and_command(pending, settings):
    settings.NOTIFICATION_SWEEP_AFTER_SECONDS = 0
    with time_machine.travel(timezone.now() + timedelta(seconds=1)):
        assert outbox_sweep.apply().get() == 1
    assert len(mail.outbox) == 1
    call_command("notifications_sweep", "--after", "0")  # nothing left to do
    assert len(mail.outbox) == 1


def test_command_sweeps_overdue_rows(pending, capsys):
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        call_command("notifications_sweep", "--after", "1")
    assert "Queued 1 notification(s) again." in capsys.readouterr().out
    assert len(mail.outbox) == 1


def test_retry_now_gives_a_failed_row_another_full_round(
    pending, flaky, django_capture_on_commit_callbacks
):
    flaky.append(smtplib.SMTPDataError(554, b"rejected"))
    notification_deliver(notification_id=pending.pk)
    pending.refresh_from_db()
    assert pending.status == Notification.Status.FAILED

    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_retry_now(notification=pending)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.failed_at is None
    assert len(mail.outbox) == 1


def test_admin_lists_notifications_and_retries_them(
    staff_client, pending, django_capture_on_commit_callbacks
):
    response = staff_client.get("/admin/notifications/notification/")
    assert response.status_code == 200
    assert "test:1:hello" in response.content.decode()
    searched = staff_client.get("/admin/notifications/notification/?q=ann%40example&status=pending")
    assert "test:1:hello" in searched.content.decode()
    assert (
        staff_client.get(f"/admin/notifications/notification/{pending.pk}/change/").status_code
        == 200
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/admin/notifications/notification/",
            {"action": "retry_now", "_selected_action": [pending.pk]},
            follow=True,
        )
    assert "Queued 1 notification to be sent again." in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Notification.Status.SENT


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_row_locked_by_another_worker_is_skipped(queue_hello, monkeypatch):
    """While one worker holds the row (mid-send), a second task leaves it alone."""
    import psycopg2
    from django.db import connection

    with monkeypatch.context() as patch:  # autocommit here: keep the on-commit send away
        patch.setattr("clinic.notifications.services.notification_enqueue", lambda **kw: True)
        pending = queue_hello()

    params = connection.get_connection_params()
    other = psycopg2.connect(**{k: v for k, v in params.items() if k != "cursor_factory"})
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM notifications_notification WHERE id = %s FOR UPDATE", [pending.pk]
            )
            assert notification_deliver(notification_id=pending.pk).result == "skipped"
            assert mail.outbox == []
            # The sweep skips it too, rather than waiting for the lock.
            assert notification_outbox_sweep(older_than_seconds=-60) == []
    finally:
        other.rollback()
        other.close()
    assert notification_deliver(notification_id=pending.pk).result == "sent"
