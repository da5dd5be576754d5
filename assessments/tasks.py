"""Celery tasks for stored self-assessments. Thin: the services do the work."""

import logging

from celery import shared_task

from assessments.services import submission_delete_past_retention

logger = logging.getLogger(__name__)


@shared_task(name="assessments.tasks.submissions_delete_past_retention", ignore_result=True)
def submissions_delete_past_retention() -> int:
    """Delete the self-assessments whose retention period is over (UK GDPR storage limit)."""
    deleted = submission_delete_past_retention()
    if deleted:
        logger.info("Deleted %s self-assessment(s) past their retention date", deleted)
    return deleted
