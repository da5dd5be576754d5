from celery import shared_task

from .services import retention_purge


@shared_task(name="clinic.privacy.tasks.retention_purge")
def retention_purge_task() -> dict[str, int]:
    """Nightly: delete what is past its retention period."""
    return retention_purge()
