from tests.clinic.notifications.conftest import celery_in_process  # noqa: F401
