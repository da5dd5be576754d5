"""Queue and deliver emails through the outbox. Every app sends email through here.

Delivery is at-least-once with an idempotent sender:

* ``notification_queue`` renders the email and stores it as a row in the caller's transaction,
  then asks Celery to send it once that transaction commits. A rollback leaves neither row nor
  task. If the broker is down the request carries on and the outbox sweep sends the row later.
* ``notification_deliver`` (called by the task) locks the row with ``SELECT ... FOR UPDATE SKIP
  LOCKED``, sends only if it is still pending and records the outcome in the same transaction.
  Two tasks for one row (a redelivery, a sweep, two workers) therefore send it once.
* The one window for a duplicate: the mail server has accepted the message but the worker dies
  (or loses the database) before the transaction that marks the row sent commits. The row stays
  pending and is sent again. Every attempt carries the same ``Message-ID`` so mail clients can
  recognise the repeat. If the worker dies before the server accepted the message, nothing was
  delivered and the retry sends it exactly once.
* The row lock is held across the SMTP conversation. That is deliberate and cheap for short
  sends (a local relay answers in milliseconds; ``EMAIL_TIMEOUT`` and the task time limits
  bound the worst case) and it is what keeps a second worker from sending the same row.
"""

import logging
import random
import smtplib
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from email.utils import formataddr, getaddresses, parseaddr

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone

from clinic.context_processors import clinic as clinic_context

from .models import Notification

logger = logging.getLogger(__name__)

SUBJECT_MAX_LENGTH = 200
# A task that turns up this much before its row's next attempt is due belongs to a retry chain
# that has been superseded (the sweep or an admin re-queued the row); the due task will come.
EARLY_TOLERANCE = timedelta(seconds=1)


class InvalidAddressError(ValueError):
    """An email address that is malformed or could smuggle extra headers or recipients."""


# --- Pure helpers ---------------------------------------------------------------------------


def _has_control_characters(value: str) -> bool:
    return any(unicodedata.category(char) in {"Cc", "Zl", "Zp"} for char in value)


def header_text_clean(value: str, *, max_length: int = SUBJECT_MAX_LENGTH) -> str:
    """One line of text safe for an email header: whitespace (newlines included) collapsed,
    control characters removed, shortened with an ellipsis if too long."""
    text = "".join(char if not _has_control_characters(char) else " " for char in str(value))
    text = " ".join(text.split())
    if len(text) > max_length:
        text = text[: max_length - 1].rstrip() + "…"
    return text


def address_clean(value: str) -> str:
    """One valid address (``a@b.example`` or ``Name <a@b.example>``), or InvalidAddressError.

    Newlines and other control characters are refused rather than stripped: an address is
    either exactly what was meant or it is not used, so it can never add a recipient or header.
    """
    if not isinstance(value, str) or not value.strip() or _has_control_characters(value):
        raise InvalidAddressError(f"Not a usable email address: {value!r}")
    value = value.strip()
    parsed = getaddresses([value])
    if len(parsed) != 1:
        raise InvalidAddressError(f"More than one address in {value!r}")
    name, address = parseaddr(value)
    try:
        validate_email(address)
    except ValidationError as exc:
        raise InvalidAddressError(f"Not a valid email address: {value!r}") from exc
    return formataddr((header_text_clean(name), address)) if name else address


def addresses_clean(values: Sequence[str]) -> list[str]:
    if isinstance(values, str):  # a lone string would be split into characters
        values = [values]
    return [address_clean(value) for value in values]


def retry_delay_seconds(
    *, attempts: int, base: float, cap: float, rng: random.Random | None = None
) -> float:
    """Exponential backoff with jitter: about base, 2 x base, 4 x base ... capped, ±50 %.

    The jitter spreads retries out so that a mail server coming back is not hit by every
    queued email in the same second.
    """
    rng = rng or random.Random()  # noqa: S311 (jitter, not cryptography)
    exponential = min(cap, base * (2 ** max(0, attempts - 1)))
    return exponential * rng.uniform(0.5, 1.5)


def is_transient_error(exc: BaseException) -> bool:
    """Whether a failed send is worth trying again (4xx replies, network trouble).

    Permanent 5xx refusals (an unknown mailbox, a rejected message) are not: retrying would
    only delay telling staff. Authentication failures are treated as transient, because they
    mean the clinic's mail settings are wrong and will be fixed, not that the email is bad.
    """
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return True
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in exc.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return not 500 <= exc.smtp_code < 600
    # Disconnections, refused or timed-out connections, TLS errors.
    return isinstance(exc, smtplib.SMTPException | OSError | SoftTimeLimitExceeded)


# --- Recipients -----------------------------------------------------------------------------


def staff_recipients() -> list[str]:
    """The addresses that receive staff notifications (``STAFF_NOTIFICATION_EMAILS``)."""
    recipients = list(settings.STAFF_NOTIFICATION_EMAILS)
    if not recipients:
        raise ImproperlyConfigured("STAFF_NOTIFICATION_EMAILS is empty: nobody would be told.")
    return addresses_clean(recipients)


# --- Queue ------------------------------------------------------------------------------------


def _render(template: str, context: dict) -> tuple[str, str]:
    full_context = {
        **clinic_context(None),
        "site_url": settings.SITE_URL,
        **context,
    }
    # Plain text cannot become markup, so it is rendered without HTML escaping (a patient
    # called O'Brien stays O'Brien); the HTML part is autoescaped like any page.
    text = get_template(f"{template}.txt").template.render(Context(full_context, autoescape=False))
    html = get_template(f"{template}.html").render(full_context)
    return text.strip() + "\n", html


def _message_id(from_email: str) -> str:
    domain = parseaddr(from_email)[1].rpartition("@")[2] or "localhost"
    return f"<notification.{uuid.uuid4().hex}@{domain}>"


def notification_queue(
    *,
    key: str,
    to: Sequence[str],
    subject: str,
    template: str,
    context: dict,
    reply_to: Sequence[str] = (),
    attachments: Sequence[tuple[str, str, str]] = (),
    source: models.Model | None = None,
) -> Notification:
    """Store an email in the outbox and send it once the current transaction commits.

    Call it inside the transaction that saves ``source``: a rollback then sends nothing.
    ``template`` names a pair, ``{template}.txt`` and ``{template}.html``, rendered now with
    ``context`` plus ``site_url`` and ``clinic``. Queuing an existing ``key`` again returns the
    existing row and sends nothing more. Addresses with newlines or more than one address
    raise ``InvalidAddressError``; the subject is reduced to one safe line.
    """
    existing = Notification.objects.filter(key=key).first()
    if existing is not None:
        return existing

    recipients = addresses_clean(to)
    if not recipients:
        raise InvalidAddressError("A notification needs at least one recipient.")
    reply_addresses = addresses_clean(reply_to)
    clean_attachments = [
        [header_text_clean(filename, max_length=100), str(content), str(mimetype)]
        for filename, content, mimetype in attachments
    ]
    text, html = _render(template, context)
    from_email = settings.DEFAULT_FROM_EMAIL

    try:
        with transaction.atomic():  # a savepoint: a lost race must not spoil the caller's work
            notification = Notification.objects.create(
                key=key,
                from_email=from_email,
                to=recipients,
                reply_to=reply_addresses,
                subject=header_text_clean(subject),
                body_text=text,
                body_html=html,
                attachments=clean_attachments,
                message_id=_message_id(from_email),
                source_type=ContentType.objects.get_for_model(source) if source else None,
                source_id=source.pk if source else None,
                next_attempt_at=timezone.now(),
            )
    except IntegrityError:
        # Someone queued the same key at the same moment and committed first.
        existing = Notification.objects.filter(key=key).first()
        if existing is None:
            raise
        return existing

    notification_id = notification.pk
    transaction.on_commit(lambda: notification_enqueue(notification_id=notification_id))
    return notification


def notification_enqueue(*, notification_id: int, skip_if_broker_down: bool = True) -> bool:
    """Hand the row to Celery. Never raises: if the broker is down the sweep sends it later.

    While the broker breaker is open (a publish failed moments ago) nothing is tried, so that
    a patient's response is not held up; the sweep passes ``skip_if_broker_down=False``, since
    trying is its whole job and nobody waits on it.
    """
    from clinic.breaker import broker_breaker

    from .tasks import notification_send

    if (
        skip_if_broker_down
        and not settings.CELERY_TASK_ALWAYS_EAGER
        and not broker_breaker.allows()
    ):
        # The broker failed moments ago: do not hold the response up trying again.
        logger.info("Broker unavailable; notification %s left to the sweep", notification_id)
        return False
    try:
        notification_send.apply_async(args=[notification_id], retry=False)
    except Exception as exc:
        # Anything the broker client raises (connection refused, timeout, auth) must not turn
        # a patient's saved message into an error page; the row is safe in the database.
        broker_breaker.failed(exc)
        logger.warning(
            "Could not queue notification %s; the outbox sweep will send it.",
            notification_id,
            exc_info=True,
        )
        return False
    broker_breaker.succeeded()
    return True


# --- Deliver ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryOutcome:
    """What one delivery attempt did: sent, skipped (nothing to do), retry (after retry_in
    seconds) or failed (for good)."""

    result: str
    retry_in: float | None = None

    SENT = "sent"
    SKIPPED = "skipped"
    RETRY = "retry"
    FAILED = "failed"


def notification_message(notification: Notification, *, connection=None) -> EmailMultiAlternatives:
    """The email a row describes, with the row's fixed Message-ID."""
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body_text,
        from_email=notification.from_email,
        to=notification.to,
        reply_to=notification.reply_to,
        headers={"Message-ID": notification.message_id, "Auto-Submitted": "auto-generated"},
        connection=connection,
    )
    if notification.body_html:
        message.attach_alternative(notification.body_html, "text/html")
    for filename, content, mimetype in notification.attachments:
        message.attach(filename, content, mimetype)
    return message


def notification_deliver(*, notification_id: int) -> DeliveryOutcome:
    """Send one pending row, once, and record the outcome. Called by the send task."""
    now = timezone.now()
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id)
            .first()
        )
        if notification is None:
            # Gone, or locked because another worker is sending it right now.
            return DeliveryOutcome(DeliveryOutcome.SKIPPED)
        if notification.status != Notification.Status.PENDING:
            return DeliveryOutcome(DeliveryOutcome.SKIPPED)
        if notification.next_attempt_at > now + EARLY_TOLERANCE:
            return DeliveryOutcome(DeliveryOutcome.SKIPPED)

        notification.attempts += 1
        try:
            notification_message(notification, connection=get_connection()).send()
        except Exception as exc:
            return _record_failure(notification, exc, now=now)

        if notification.erase_after_send:
            # Sent to a person whose data has been erased: nothing of it stays behind.
            notification.delete()
            return DeliveryOutcome(DeliveryOutcome.SENT)
        notification.status = Notification.Status.SENT
        notification.sent_at = timezone.now()
        notification.save(update_fields=["status", "sent_at", "attempts"])
    logger.info("Sent notification %s (%s)", notification.pk, notification.key)
    return DeliveryOutcome(DeliveryOutcome.SENT)


def _record_failure(notification: Notification, exc: Exception, *, now) -> DeliveryOutcome:
    notification.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if is_transient_error(exc) and notification.attempts < settings.NOTIFICATION_MAX_ATTEMPTS:
        delay = retry_delay_seconds(
            attempts=notification.attempts,
            base=settings.NOTIFICATION_RETRY_BASE_SECONDS,
            cap=settings.NOTIFICATION_RETRY_MAX_SECONDS,
        )
        notification.next_attempt_at = now + timedelta(seconds=delay)
        notification.save(update_fields=["attempts", "last_error", "next_attempt_at"])
        logger.warning(
            "Notification %s attempt %s failed (%s); retrying in %.1fs",
            notification.pk,
            notification.attempts,
            notification.last_error,
            delay,
        )
        return DeliveryOutcome(DeliveryOutcome.RETRY, retry_in=delay)
    logger_args = (notification.pk, notification.key, notification.attempts)
    if notification.erase_after_send:
        # A last notice to an erased person that cannot be delivered: it goes all the same.
        notification.delete()
        logger.error("Notification %s (%s) failed after %s attempts; deleted", *logger_args)
        return DeliveryOutcome(DeliveryOutcome.FAILED)
    notification.status = Notification.Status.FAILED
    notification.failed_at = now
    notification.save(update_fields=["status", "failed_at", "attempts", "last_error"])
    logger.error(
        "Notification %s (%s) failed for good after %s attempts: %s",
        notification.pk,
        notification.key,
        notification.attempts,
        notification.last_error,
    )
    return DeliveryOutcome(DeliveryOutcome.FAILED)


# --- Sweep and manual retry -------------------------------------------------------------------


def notification_outbox_sweep(
    *, older_than_seconds: float | None = None, limit: int = 500
) -> list[int]:
    """Queue again the pending rows whose send is overdue (its task was lost). Returns their ids.

    Rows are claimed with ``SELECT ... FOR UPDATE SKIP LOCKED`` (PostgreSQL), so a row being
    sent right now, or claimed by a concurrent sweep, is left alone; claiming moves the row's
    due time to now, so the next sweep does not queue it again straight away.
    """
    after = (
        settings.NOTIFICATION_SWEEP_AFTER_SECONDS
        if older_than_seconds is None
        else older_than_seconds
    )
    now = timezone.now()
    cutoff = now - timedelta(seconds=after)
    with transaction.atomic():
        ids = list(
            Notification.objects.overdue(before=cutoff)
            .order_by("next_attempt_at", "pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:limit]
        )
        Notification.objects.filter(pk__in=ids).update(next_attempt_at=now)

    for position, notification_id in enumerate(ids):
        if not notification_enqueue(notification_id=notification_id, skip_if_broker_down=False):
            # The broker is down: leave the rest due for the next sweep instead of timing out
            # on each of them now.
            remaining = ids[position:]
            Notification.objects.filter(
                pk__in=remaining, status=Notification.Status.PENDING
            ).update(next_attempt_at=cutoff)
            return ids[:position]
    if ids:
        logger.info("Outbox sweep queued %s notification(s) again", len(ids))
    return ids


def notification_retry_now(*, notification: Notification) -> Notification:
    """Try a pending or failed row again at once (the admin's "retry now")."""
    if notification.status == Notification.Status.SENT:
        return notification
    with transaction.atomic():
        Notification.objects.filter(pk=notification.pk).exclude(
            status=Notification.Status.SENT
        ).update(
            status=Notification.Status.PENDING,
            failed_at=None,
            attempts=0,
            next_attempt_at=timezone.now(),
        )
        notification_id = notification.pk
        transaction.on_commit(lambda: notification_enqueue(notification_id=notification_id))
    notification.refresh_from_db()
    return notification


# --- Deleting a record's emails -----------------------------------------------------------------


def notification_delete_for_source(*, source: models.Model) -> int:
    """Delete the emails about ``source`` (sent or not): the one way a record's emails go when
    the record does, since they quote it. Rows marked ``erase_after_send`` go once sent."""
    rows = Notification.objects.for_source(source).filter(erase_after_send=False)
    return rows.delete()[0]


def notification_erase_after_send(*, key: str) -> Notification | None:
    """Keep the row with ``key`` only until it is sent, detached from its record (which is
    about to be deleted): a last notice to a person whose data is being erased."""
    notification = Notification.objects.filter(key=key).first()
    if notification is None:
        return None
    if notification.status != Notification.Status.PENDING:
        notification.delete()
        return None
    Notification.objects.filter(pk=notification.pk).update(
        erase_after_send=True, source_type=None, source_id=None
    )
    notification.refresh_from_db()
    return notification
