from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clinic.notifications.models import Notification

from .admin_page import contact_message_page
from .models import ContactMessage, IllegalStatusChangeError
from .services import contact_message_close, contact_message_delete, contact_message_mark_replied


class NotificationStateFilter(admin.SimpleListFilter):
    title = _("notification state")
    parameter_name = "notifications"

    def lookups(self, request, model_admin):
        return [
            ("failed", _("Failed")),
            ("pending", _("Pending")),
            ("sent", _("All sent")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "failed":
            return queryset.filter(notifications_failed__gt=0)
        if self.value() == "pending":
            return queryset.filter(notifications_failed=0, notifications_pending__gt=0)
        if self.value() == "sent":
            return queryset.filter(notifications_failed=0, notifications_pending=0)
        return queryset


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "email",
        "phone",
        "status",
        "notification_state",
        "preferred_contact",
        "created_at",
    ]
    list_filter = ["status", NotificationStateFilter, "preferred_contact", "created_at"]
    search_fields = ["name", "email", "phone", "message"]
    date_hierarchy = "created_at"
    actions = ["mark_replied", "close"]
    readonly_fields = [
        "status",
        "name",
        "email",
        "phone",
        "preferred_contact",
        "message",
        "privacy_notice_version",
        "privacy_acknowledged_at",
        "created_at",
        "replied_at",
        "replied_by",
        "notification_state",
    ]
    fieldsets = [
        (None, {"fields": ["name", "email", "phone", "preferred_contact", "message"]}),
        (_("Handling"), {"fields": ["status", "replied_at", "replied_by", "notification_state"]}),
        (
            _("Consent"),
            {
                "fields": ["privacy_notice_version", "privacy_acknowledged_at", "created_at"],
                "classes": ["collapse"],
            },
        ),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # messages come from patients, through the form

    def get_deleted_objects(self, objs, request: HttpRequest):
        # A message's own emails and history go with it (contact_message_delete): deleting it
        # needs the right to delete messages, not the outbox's (which nobody edits by hand).
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed -= {
            str(Notification._meta.verbose_name),
            str(ContactMessage.status_changes.rel.related_model._meta.verbose_name),
        }
        return deleted, counts, perms_needed, protected

    def delete_model(self, request: HttpRequest, obj: ContactMessage) -> None:
        contact_message_delete(contact_message=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ContactMessage]) -> None:
        for contact_message in queryset:
            contact_message_delete(contact_message=contact_message)

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        # The message's own page: buttons that each do one thing (clinic/contact/admin_page.py).
        return contact_message_page(self, request, object_id)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ContactMessage]:
        return (
            super()
            .get_queryset(request)
            .select_related("replied_by")
            .annotate(
                notifications_total=Count("notifications", distinct=True),
                notifications_failed=Count(
                    "notifications",
                    filter=Q(notifications__status=Notification.Status.FAILED),
                    distinct=True,
                ),
                notifications_pending=Count(
                    "notifications",
                    filter=Q(notifications__status=Notification.Status.PENDING),
                    distinct=True,
                ),
            )
        )

    @admin.display(description=_("emails"))
    def notification_state(self, obj: ContactMessage) -> str:
        total = getattr(obj, "notifications_total", None)
        if total is None:  # an object not loaded through get_queryset
            states = list(obj.notifications.values_list("status", flat=True))
            total = len(states)
            failed, pending = states.count("failed"), states.count("pending")
        else:
            failed, pending = obj.notifications_failed, obj.notifications_pending
        if failed:
            return _("%(failed)d of %(total)d failed") % {"failed": failed, "total": total}
        if pending:
            return _("%(pending)d of %(total)d pending") % {"pending": pending, "total": total}
        return _("all %(total)d sent") % {"total": total} if total else _("none")

    @admin.action(description=_("Mark selected messages as replied"), permissions=["change"])
    def mark_replied(self, request: HttpRequest, queryset: QuerySet[ContactMessage]) -> None:
        done, skipped = 0, 0
        for contact_message in queryset:
            try:
                contact_message_mark_replied(contact_message=contact_message, actor=request.user)
                done += 1
            except IllegalStatusChangeError:
                skipped += 1
        self.message_user(
            request,
            ngettext("Marked %d message as replied.", "Marked %d messages as replied.", done)
            % done,
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%d closed message was left as it is.",
                    "%d closed messages were left as they are.",
                    skipped,
                )
                % skipped,
                messages.WARNING,
            )

    @admin.action(description=_("Close selected messages"), permissions=["change"])
    def close(self, request: HttpRequest, queryset: QuerySet[ContactMessage]) -> None:
        done = 0
        for contact_message in queryset.exclude(status=ContactMessage.Status.CLOSED):
            contact_message_close(contact_message=contact_message, actor=request.user)
            done += 1
        self.message_user(
            request,
            ngettext("Closed %d message.", "Closed %d messages.", done) % done,
            messages.SUCCESS,
        )
