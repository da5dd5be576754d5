"""Celery tasks for bookings. Thin: the services do the work."""

import logging

from celery import shared_task
from django.db import OperationalError

from .services import holds_release_lapsed as holds_release_lapsed_service
from .services import reminders_send_due as reminders_send_due_service

logger = logging.getLogger(__name__)


@shared_task(
    name="bookings.tasks.reminders_send_due",
    ignore_result=True,
    autoretry_for=(OperationalError,),
    retry_backoff=30,
    max_retries=3,
)
def reminders_send_due() -> int:
    """Queue the reminders that are due (beat runs this every ten minutes).

    Safe to run twice, late or at the same time as itself: the service claims each appointment
    with a conditional update, so every reminder is queued once.
    """
    sent = reminders_send_due_service()
    if sent:
        logger.info("Queued %s appointment reminder(s)", sent)
    return sent


@shared_task(
    name="bookings.tasks.holds_release_lapsed",
    ignore_result=True,
    autoretry_for=(OperationalError,),
    retry_backoff=30,
    max_retries=3,
)
def holds_release_lapsed() -> int:
    """Give back the time of holds nobody confirmed in time (beat runs this every minute).

    Safe to run twice, late or at the same time as itself: each hold is claimed by a
    conditional update.
    """
    released = holds_release_lapsed_service()
    if released:
        logger.info("Released %s lapsed booking hold(s)", released)
    return released
