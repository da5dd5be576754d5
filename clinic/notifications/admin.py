from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Notification
from .services import notification_retry_now


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The outbox, read-only: what was sent to whom, and what is stuck."""

    list_display = ["key", "status", "attempts", "recipients", "created_at", "sent_at", "error"]
    list_filter = ["status", ("source_type", admin.RelatedOnlyFieldListFilter), "created_at"]
    search_fields = ["key", "to", "subject"]
    date_hierarchy = "created_at"
    actions = ["retry_now"]
    fieldsets = [
        (None, {"fields": ["key", "status", "attempts", "last_error", "source_link"]}),
        (_("Times"), {"fields": ["created_at", "next_attempt_at", "sent_at", "failed_at"]}),
        (
            _("Email"),
            {
                "fields": [
                    "from_email",
                    "to",
                    "reply_to",
                    "subject",
                    "message_id",
                    "body_text",
                    "body_html",
                    "attachments",
                ],
                "classes": ["collapse"],
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields] + ["source_link"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        # Viewable, never editable: the row is the record of what was sent.
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("to"))
    def recipients(self, obj: Notification) -> str:
        return ", ".join(obj.to)

    @admin.display(description=_("last error"))
    def error(self, obj: Notification) -> str:
        return obj.last_error[:120]

    @admin.display(description=_("about"))
    def source_link(self, obj: Notification) -> str:
        return str(obj.source) if obj.source_type_id else "—"

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("notifications.change_notification")

    @admin.action(description=_("Retry now"), permissions=["retry"])
    def retry_now(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        count = 0
        for notification in queryset.exclude(status=Notification.Status.SENT):
            notification_retry_now(notification=notification)
            count += 1
        self.message_user(
            request,
            ngettext(
                "Queued %d notification to be sent again.",
                "Queued %d notifications to be sent again.",
                count,
            )
            % count,
            messages.SUCCESS,
        )
