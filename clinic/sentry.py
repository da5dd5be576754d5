"""Error reports to Sentry, when ``SENTRY_DSN`` is set, with nothing a patient typed in them."""

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration


def sentry_event_scrub(event: dict, hint: dict) -> dict:
    """Drop what patients post (names, emails, health answers) and their cookies."""
    request = event.get("request") or {}
    for field in ("data", "query_string", "cookies"):
        request.pop(field, None)
    return event


def sentry_init(*, dsn: str, environment: str, traces_sample_rate: float) -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        before_send=sentry_event_scrub,
        traces_sample_rate=traces_sample_rate,
    )
