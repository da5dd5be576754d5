"""Celery tasks for the outbox. Thin: the services do the work and the bookkeeping."""

import logging

from celery import shared_task
from celery.exceptions import Retry

from .services import DeliveryOutcome, notification_deliver, notification_outbox_sweep

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    name="clinic.notifications.tasks.notification_send",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=None,  # the row's attempts and NOTIFICATION_MAX_ATTEMPTS are the limit
    ignore_result=True,
)
def notification_send(self, notification_id: int) -> str:
    """Send one outbox row; on a transient failure, retry after the backoff the row records."""
    outcome = notification_deliver(notification_id=notification_id)
    if outcome.result == DeliveryOutcome.RETRY:
        if self.request.is_eager:
            # In-process (no broker) a retry would run at once, ignoring the backoff; the
            # outbox sweep sends the row later instead.
            return outcome.result
        try:
            raise self.retry(countdown=outcome.retry_in)
        except Retry:
            raise
        except Exception:
            logger.warning(
                "Could not schedule a retry of notification %s; the sweep will send it.",
                notification_id,
                exc_info=True,
            )
    return outcome.result


@shared_task(name="clinic.notifications.tasks.outbox_sweep", ignore_result=True)
def outbox_sweep() -> int:
    """Queue again whatever is overdue in the outbox (run by beat every minute)."""
    return len(notification_outbox_sweep())
