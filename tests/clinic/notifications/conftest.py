"""Unit-test fixtures for the outbox: tasks run in-process, mail goes to ``mail.outbox``."""

from pathlib import Path

import pytest

from clinic.celery import app as celery_app


@pytest.fixture(autouse=True)
def celery_in_process(settings):
    """Run tasks in the test's own process even when a broker is configured (REDIS_URL)."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    settings.STAFF_NOTIFICATION_EMAILS = ["reception@clinic.test", "physio@clinic.test"]
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 10.0
    settings.NOTIFICATION_RETRY_MAX_SECONDS = 60.0
    settings.SITE_URL = "https://clinic.example"
    yield
    celery_app.conf.task_always_eager = previous


TEMPLATES_DIR = Path(__file__).parent / "templates"


@pytest.fixture
def test_templates(settings):
    """Adds ``emails/testing/hello.{txt,html}`` for tests of the generic machinery."""
    engine = {**settings.TEMPLATES[0]}
    engine["DIRS"] = [*engine["DIRS"], TEMPLATES_DIR]
    settings.TEMPLATES = [engine]


@pytest.fixture
def queue_hello(test_templates, django_user_model):
    from clinic.notifications.services import notification_queue

    source = django_user_model.objects.create_user(username="source", password="x" * 20)

    def queue(**overrides):
        kwargs = {
            "key": "test:1:hello",
            "to": ["ann@example.com"],
            "subject": "Hello",
            "template": "emails/testing/hello",
            "context": {"name": "Ann"},
            "source": source,
        }
        return notification_queue(**{**kwargs, **overrides})

    queue.source = source
    return queue
