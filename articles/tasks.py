"""Scheduled publishing: Wagtail's ``publish_scheduled`` run by Celery beat every minute."""

from celery import shared_task
from django.core.management import call_command

from clinic.celery import app


@shared_task(name="articles.tasks.articles_publish_scheduled")
def articles_publish_scheduled() -> None:
    """Publish approved articles whose go-live time has come; unpublish expired ones."""
    call_command("publish_scheduled")


@app.on_after_finalize.connect
def _schedule(sender, **kwargs) -> None:
    # Declared here, with the task, rather than in the settings' beat schedule.
    sender.add_periodic_task(
        60.0, articles_publish_scheduled.s(), name="articles-publish-scheduled"
    )
