"""The back office for services, practitioners, hours, time off, discount codes and the diary.

Appointments are not added here yet: staff bookings go through ``appointment_book`` (with
``booked_via=staff``) and get their own form in the admin work (issue 6).
"""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import (
    Appointment,
    DiscountCode,
    DiscountRedemption,
    Practitioner,
    Service,
    TimeOff,
    WorkingHours,
)
from .services import AppointmentStatusError, appointment_cancel


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


@admin.register(TimeOff)
class TimeOffAdmin(admin.ModelAdmin):
    list_display = ["__str__", "practitioner", "start", "end", "reason"]
    list_filter = ["practitioner"]
    search_fields = ["reason", "practitioner__name"]
    date_hierarchy = "start"
    list_select_related = ["practitioner"]


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


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "start",
        "service",
        "practitioner",
        "patient_name",
        "status",
        "total",
        "booked_via",
    ]
    list_filter = ["status", "practitioner", "service", "booked_via"]
    search_fields = ["reference", "patient_name", "patient_email", "patient_phone"]
    date_hierarchy = "start"
    list_select_related = ["service", "practitioner"]
    actions = ["cancel"]
    readonly_fields = [
        "reference",
        "practitioner",
        "service",
        "start",
        "end",
        "blocked_until",
        "status",
        "price",
        "discount_code",
        "discount_code_text",
        "discount_percent",
        "discount_amount",
        "total",
        "booked_via",
        "booked_by",
        "privacy_notice_version",
        "created_at",
        "cancelled_at",
    ]
    fieldsets = [
        (None, {"fields": ["reference", "status", "service", "practitioner", "start", "end"]}),
        (_("Patient"), {"fields": ["patient_name", "patient_email", "patient_phone", "notes"]}),
        (
            _("Price"),
            {
                "fields": [
                    "price",
                    "discount_code",
                    "discount_code_text",
                    "discount_percent",
                    "discount_amount",
                    "total",
                ]
            },
        ),
        (
            _("Record"),
            {
                "fields": [
                    "booked_via",
                    "booked_by",
                    "privacy_notice_version",
                    "blocked_until",
                    "created_at",
                    "cancelled_at",
                ],
                "classes": ["collapse"],
            },
        ),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Appointments are cancelled, not deleted: the diary is a record.
        return False

    @admin.action(description=_("Cancel selected appointments"), permissions=["change"])
    def cancel(self, request: HttpRequest, queryset: QuerySet[Appointment]) -> None:
        cancelled = 0
        for appointment in queryset:
            try:
                appointment_cancel(appointment=appointment)
            except AppointmentStatusError as exc:
                self.message_user(
                    request, f"{appointment.reference}: {exc.message}", messages.WARNING
                )
            else:
                cancelled += 1
        if cancelled:
            self.message_user(
                request,
                ngettext("Cancelled %d appointment.", "Cancelled %d appointments.", cancelled)
                % cancelled,
                messages.SUCCESS,
            )
