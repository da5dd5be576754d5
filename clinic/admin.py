"""The clinic's own admin pages: staff authenticators, and the audit log in plain words.

Staff authenticators: a manager can reset one, nobody can type in a key.

A reset deletes the staff member's authenticator; at their next sign-in (username and password)
they are shown a QR code and set up the app again (``clinic.signin``). The deletion is in the
audit log (``clinic/audit.py`` audits ``TOTPDevice`` with its key masked). Only superusers may
reset a superuser's device.
"""

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.audit_words import change_in_words

if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class StaffAuthenticatorAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    readonly_fields = fields
    actions = ["reset"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_reset_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("otp_totp.delete_totpdevice")

    def get_actions(self, request: HttpRequest):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(
        description=_("Reset authenticator (set up again at next sign-in)"),
        permissions=["reset"],
    )
    def reset(self, request: HttpRequest, queryset: QuerySet[TOTPDevice]) -> None:
        if not request.user.is_superuser:
            queryset = queryset.exclude(user__is_superuser=True)
        count = 0
        for device in queryset:
            device.delete()  # auditlog records who deleted it
            count += 1
        self.message_user(
            request,
            ngettext(
                "Reset %d authenticator: they set it up again when they next sign in.",
                "Reset %d authenticators: they set them up again when they next sign in.",
                count,
            )
            % count,
            messages.SUCCESS,
        )


# --- The audit log, in plain words and filterable by who did it ---------------------------------


_ACTIONS = {
    LogEntry.Action.CREATE: "create",
    LogEntry.Action.UPDATE: "update",
    LogEntry.Action.DELETE: "delete",
    LogEntry.Action.ACCESS: "access",
}

if admin.site.is_registered(LogEntry):
    admin.site.unregister(LogEntry)


def entry_in_words(entry: LogEntry) -> str:
    """The entry as a sentence: "moved from Tue 5 Jan 10:00 to Wed 6 Jan 11:00"."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    what = str(model._meta.verbose_name) if model else ""
    action = _ACTIONS.get(entry.action, "update")
    if action == "access" and (entry.additional_data or {}).get("export"):
        action, what = "export", entry.additional_data["export"]
    elif action != "update":
        what = f"{what} {entry.object_repr}".strip()

    def label(name: str) -> str:
        try:
            return str(model._meta.get_field(name).verbose_name)
        except Exception:  # a field since removed, or no model
            return name.replace("_", " ")

    return change_in_words(action=action, changes=entry.changes_dict, label=label, what=what)


@admin.register(LogEntry)
class ClinicLogEntryAdmin(LogEntryAdmin):
    """auditlog's log, with each entry in words and a filter by staff member."""

    list_display = ["created", "resource_url", "in_words", "user_url"]
    list_filter = [("actor", admin.RelatedOnlyFieldListFilter), *LogEntryAdmin.list_filter]
    readonly_fields = [*LogEntryAdmin.readonly_fields, "in_words"]
    fieldsets = [
        (None, {"fields": ["created", "user_url", "resource_url", "in_words"]}),
        (_("Changes"), {"fields": ["action", "msg"], "classes": ["collapse"]}),
    ]

    @admin.display(description=_("what happened"))
    def in_words(self, obj: LogEntry) -> str:
        return entry_in_words(obj)
