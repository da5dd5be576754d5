"""Who changed or looked at patient records, and when: django-auditlog, set up for health data.

Changes to the models each app declares in its ``audit.py`` (appointments, self-assessments,
contact messages, discount codes) are logged with the staff member and their address. Fields
holding personal or health information are recorded as *changed* without their values
(``mask_fully``), so the audit log never becomes a second copy of the answers. Staff opening a
stored self-assessment or an appointment in the admin is logged as an access
(``AccessLoggedAdminMixin``).
"""

from auditlog.context import auditlog_value
from auditlog.middleware import AuditlogMiddleware
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from auditlog.signals import accessed
from django.apps import apps
from django.http import HttpRequest
from django.utils.module_loading import autodiscover_modules

from clinic.client_ip import client_ip

REDACTED = "[redacted]"

# model label -> fields whose values are never written to the log. Each app declares its own in
# its ``audit.py`` (discovered like ``admin.py``) by calling ``audited``.
AUDITED_MODELS: dict[str, tuple[str, ...]] = {}


def audited(model_label: str, *, masked: tuple[str, ...] = ()) -> None:
    """Declare ``model_label`` audited, the values of ``masked`` fields never logged."""
    AUDITED_MODELS[model_label] = tuple(masked)


def mask_fully(value: str) -> str:
    """Replace a value entirely: auditlog's default keeps half of it."""
    return REDACTED


def audit_register() -> None:
    """Register every app's audited models with auditlog; called once apps are ready."""
    autodiscover_modules("audit")
    for label, masked in AUDITED_MODELS.items():
        model = apps.get_model(label)
        if not auditlog.contains(model):
            auditlog.register(model, mask_fields=list(masked))


def audit_record_update(instance, **changed: tuple[object, object]) -> None:
    """Log a change made by a conditional ``UPDATE``, which sends no signals for auditlog.

    ``changed`` maps field names to ``(old, new)``; masked fields are redacted as usual.
    """
    masked = AUDITED_MODELS.get(instance._meta.label, ())
    changes = {
        name: [REDACTED, REDACTED] if name in masked else [str(old), str(new)]
        for name, (old, new) in changed.items()
    }
    LogEntry.objects.log_create(instance, action=LogEntry.Action.UPDATE, changes=changes)


def audit_actor():
    """The signed-in staff member acting in this request (as the audit log records them), or
    ``None`` outside a request or for a patient."""
    try:
        actor = auditlog_value.get().get("actor")
    except LookupError:
        return None
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return actor


def audit_export(*, model: type, description: str) -> LogEntry:
    """Log that the acting staff member downloaded ``description`` (rows of ``model``), with
    the page asked for (its query holds the date range). Who and from where are filled in by
    auditlog from the request, as for any entry."""
    from django.contrib.contenttypes.models import ContentType

    try:
        path = auditlog_value.get().get("path", "")
    except LookupError:
        path = ""
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_pk="",
        object_repr=description,
        action=LogEntry.Action.ACCESS,
        changes={},
        additional_data={"export": description, "path": path},
        actor=audit_actor(),
    )


class AuditMiddleware(AuditlogMiddleware):
    """auditlog's middleware, recording the real client address rather than a spoofable one,
    and the page asked for (for exports)."""

    def __call__(self, request: HttpRequest):
        # auditlog sets its context variable for the request and never resets it, so a worker
        # thread would carry this request's staff member into whatever it runs next (and
        # ``audit_actor`` would name them). Put the variable back once the response is made.
        token = auditlog_value.set({})
        try:
            return super().__call__(request)
        finally:
            auditlog_value.reset(token)

    def get_extra_data(self, request: HttpRequest) -> dict:
        return {**super().get_extra_data(request), "path": request.get_full_path()[:500]}

    @staticmethod
    def _get_remote_addr(request: HttpRequest) -> str:
        return client_ip(request)


class AccessLoggedAdminMixin:
    """Log every time staff open one of these records in the admin."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            obj = self.get_object(request, object_id)
            if obj is not None:
                accessed.send(sender=obj.__class__, instance=obj)
        return response


# The clinic app's own declaration: staff authenticators (a manager's reset is a deletion).
audited("otp_totp.TOTPDevice", masked=("key",))
