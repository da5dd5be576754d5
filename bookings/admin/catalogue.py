"""The clinic's catalogue in the back office: services, practitioners and their hours, time off,
discount codes and the waitlist."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import admin_views
from ..models import (
    DiscountCode,
    DiscountRedemption,
    Practitioner,
    Service,
    TimeOff,
    WaitlistEntry,
    WorkingHours,
)
from ..services import (
    practitioner_feed_token_regenerate,
    time_off_delete,
)

ADMIN_CSS = {"all": ["css/admin-diary.css"]}


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "duration_minutes",
        "price",
        "buffer_after_minutes",
        "active",
        "position",
    ]
    list_editable = ["active", "position"]
    list_filter = ["active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class WorkingHoursInline(admin.TabularInline):
    model = WorkingHours
    extra = 0


@admin.register(Practitioner)
class PractitionerAdmin(admin.ModelAdmin):
    list_display = ["name", "active", "position", "user"]
    list_filter = ["active", "services"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["services"]
    inlines = [WorkingHoursInline]
    list_select_related = ["user"]
    readonly_fields = ["calendar_feed"]
    actions = ["regenerate_feed_token"]

    @admin.display(description=_("calendar feed"))
    def calendar_feed(self, obj: Practitioner) -> str:
        if not obj.pk:
            return "-"
        from django.conf import settings

        return format_html(
            '<code class="feed-url">{}</code><div class="help">Subscribe to this address in '
            "Google Calendar or Outlook. It is a secret: anyone with it can see the diary "
            "(service, patient's first name, reference). Use the action "
            "“Regenerate calendar feed address” on the list to revoke it.</div>",
            settings.SITE_URL + obj.get_feed_url(),
        )

    @admin.action(
        description=_("Regenerate calendar feed address (revokes the old one)"),
        permissions=["change"],
    )
    def regenerate_feed_token(self, request: HttpRequest, queryset: QuerySet[Practitioner]) -> None:
        for practitioner in queryset:
            practitioner_feed_token_regenerate(practitioner=practitioner)
        self.message_user(
            request,
            ngettext(
                "New feed address for %d practitioner; calendars on the old one stop updating.",
                "New feed addresses for %d practitioners; calendars on the old ones stop updating.",
                queryset.count(),
            )
            % queryset.count(),
            messages.SUCCESS,
        )


@admin.register(TimeOff)
class TimeOffAdmin(admin.ModelAdmin):
    list_display = ["__str__", "practitioner", "start", "end", "reason"]
    list_filter = ["practitioner"]
    search_fields = ["reason", "practitioner__name"]
    date_hierarchy = "start"
    list_select_related = ["practitioner"]

    def get_urls(self):
        # Adding goes through time_off_add (clash check, optional cancellations).
        return [
            path(
                "add/",
                self.admin_site.admin_view(lambda r: admin_views.time_off_add_view(self, r)),
                name="bookings_timeoff_add",
            ),
            *super().get_urls(),
        ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Practitioners add their own (the add view limits them to it).
        return super().has_add_permission(request) or request.user.has_perm(
            "bookings.add_own_time_off"
        )

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        # Moving time off could cover appointments unchecked: delete it and add it again.
        return ["practitioner", "start", "end"] if obj else []

    def delete_model(self, request: HttpRequest, obj: TimeOff) -> None:
        time_off_delete(time_off=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[TimeOff]) -> None:
        for time_off in queryset.select_related("practitioner"):
            time_off_delete(time_off=time_off)


@admin.register(DiscountCode)
class DiscountCodeAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "percent_off",
        "active",
        "valid_from",
        "valid_until",
        "times_used",
        "max_uses",
        "max_uses_per_email",
    ]
    list_filter = ["active"]
    search_fields = ["code", "description"]
    filter_horizontal = ["services"]
    readonly_fields = ["times_used", "created_at"]


@admin.register(DiscountRedemption)
class DiscountRedemptionAdmin(admin.ModelAdmin):
    list_display = ["code", "email", "sequence", "appointment", "created_at"]
    list_filter = ["code"]
    search_fields = ["email", "appointment__reference"]
    list_select_related = ["code", "appointment"]
    readonly_fields = ["code", "appointment", "email", "sequence", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "patient_name",
        "service",
        "practitioner",
        "first_day",
        "last_day",
        "status",
    ]
    list_filter = ["status", "service", "practitioner"]
    search_fields = ["patient_name", "patient_email", "patient_phone"]
    list_select_related = ["service", "practitioner"]
    readonly_fields = ["created_at", "appointment", "privacy_notice_version"]

    def get_urls(self):
        # Staff add a caller through waitlist_join, like the public page.
        return [
            path(
                "add/",
                self.admin_site.admin_view(lambda r: admin_views.waitlist_add_view(self, r)),
                name="bookings_waitlistentry_add",
            ),
            *super().get_urls(),
        ]
