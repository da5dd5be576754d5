"""Staff authenticators in the admin: a manager can reset one, nobody can type in a key.

A reset deletes the staff member's authenticator; at their next sign-in (username and password)
they are shown a QR code and set up the app again (``clinic.signin``). The deletion is in the
audit log (``clinic/audit.py`` audits ``TOTPDevice`` with its key masked). Only superusers may
reset a superuser's device.
"""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

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
