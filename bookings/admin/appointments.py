"""Appointments in the back office: the list, the change page and the day-running pages."""

from datetime import timedelta

from auditlog.signals import accessed
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from assessments.presentation import answer_rows
from clinic.audit import AccessLoggedAdminMixin

from .. import admin_views
from ..models import (
    Appointment,
    AppointmentStatusChange,
)
from ..services import (
    AppointmentStatusError,
    appointment_status_change,
    status_quick_actions,
)

ADMIN_CSS = {"all": ["css/admin-diary.css"]}


class AppointmentStatusChangeInline(admin.TabularInline):
    model = AppointmentStatusChange
    fields = ["created_at", "from_status", "to_status", "source", "changed_by", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("history")

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related("changed_by")


class WhenFilter(admin.SimpleListFilter):
    """When the appointments start. The list opens on the upcoming ones: years of history make
    "everything" a slow page nobody wants first. A search or a date drill-down looks at every
    day unless a day filter is chosen too; "Any time" shows everything."""

    title = _("day")
    parameter_name = "when"
    #: Query parameters that mean "I am looking for something": no default then.
    SEARCHING = ("q", "start__year", "start__month", "start__day")

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        if self.parameter_name not in self.used_parameters and not any(
            request.GET.get(name) for name in self.SEARCHING
        ):
            self.used_parameters[self.parameter_name] = "upcoming"

    def lookups(self, request, model_admin):
        return [
            ("upcoming", _("Upcoming")),
            ("today", _("Today")),
            ("tomorrow", _("Tomorrow")),
            ("week", _("This week")),
            ("past", _("Past")),
            ("all", _("Any time")),
        ]

    def choices(self, changelist):
        # No "All" link of its own: "Any time" is the explicit one, and the default is upcoming.
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        today = timezone.localdate()
        monday = today - timedelta(days=today.weekday())
        days = {
            "today": (today, today),
            "tomorrow": (today + timedelta(days=1), today + timedelta(days=1)),
            "week": (monday, monday + timedelta(days=6)),
        }
        if self.value() in days:
            return queryset.starting_on(*days[self.value()])
        if self.value() == "upcoming":
            return queryset.filter(start__gte=timezone.now())
        if self.value() == "past":
            return queryset.filter(start__lt=timezone.now())
        return queryset


def status_badge(status: str, label: str) -> str:
    """The status as text in a coloured badge (colour is never the only signal)."""
    return format_html('<span class="status-badge status-{}">{}</span>', status, label)


@admin.register(Appointment)
class AppointmentAdmin(AccessLoggedAdminMixin, admin.ModelAdmin):
    list_display = [
        "reference",
        "when",
        "service",
        "practitioner",
        "patient_name",
        "status_display",
        "discount_display",
        "total",
        "booked_via",
        "has_assessment",
    ]
    list_display_links = ["reference", "when"]
    list_filter = [WhenFilter, "status", "practitioner", "service", "booked_via"]
    search_fields = ["=reference", "patient_name", "patient_email", "patient_phone"]
    date_hierarchy = "start"
    list_select_related = ["service", "practitioner"]
    list_per_page = 50
    # Counting every appointment ever booked for "N total" costs a scan of the history.
    show_full_result_count = False
    # The public confirmation page belongs to the browser that booked: no "view on site".
    view_on_site = False
    actions = ["mark_completed", "mark_no_show", "cancel_by_clinic"]
    inlines = [AppointmentStatusChangeInline]
    readonly_fields = [
        "reference",
        "status_display",
        "practitioner",
        "service",
        "start",
        "end",
        "blocked_until",
        "price",
        "discount_display",
        "discount_code",
        "total",
        "booked_via",
        "booked_by",
        "privacy_notice_version",
        "created_at",
        "cancelled_at",
        "hold_expires_at",
        "reminder_sent_at",
        "assessment_link",
        "assessment_summary",
        "assessment_answers",
    ]
    fieldsets = [
        (
            None,
            {"fields": ["reference", "status_display", "service", "practitioner", "start", "end"]},
        ),
        (_("Patient"), {"fields": ["patient_name", "patient_email", "patient_phone", "notes"]}),
        (
            _("Self-assessment shared by the patient"),
            {"fields": ["assessment_link", "assessment_answers"]},
        ),
        (_("Price"), {"fields": ["price", "discount_display", "discount_code", "total"]}),
        (
            _("Record"),
            {
                "fields": [
                    "booked_via",
                    "booked_by",
                    "privacy_notice_version",
                    "blocked_until",
                    "created_at",
                    "hold_expires_at",
                    "cancelled_at",
                    "reminder_sent_at",
                ],
                "classes": ["collapse"],
            },
        ),
    ]

    class Media:
        css = ADMIN_CSS

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).visible_to(request.user)

    def action_checkbox(self, obj):
        """Django's checkbox, written out: its widget renders a template per row, a third of
        the list's time. The markup is the same (tests compare the two)."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(gettext("Select this object for an action - {}"), str(obj)),
        )

    def get_fieldsets(self, request: HttpRequest, obj=None):
        """The shared self-assessment only for those allowed to read it (not receptionists)."""
        fieldsets = []
        for name, options in super().get_fieldsets(request, obj):
            if "assessment_link" in options["fields"]:
                if (
                    obj is None
                    or obj.assessment_id is None
                    or not self._may_read_assessment(request)
                ):
                    continue
                link = (
                    "assessment_link"
                    if request.user.has_perm("assessments.view_submission")
                    else "assessment_summary"
                )
                options = {**options, "fields": [link, "assessment_answers"]}
            fieldsets.append((name, options))
        return fieldsets

    def _may_mark(self, request: HttpRequest, obj: Appointment) -> bool:
        return self.has_change_permission(request, obj) or request.user.has_perm(
            "bookings.mark_attendance"
        )

    def response_change(self, request: HttpRequest, obj: Appointment):
        """After saving, back to the appointment's day in the diary, not the full list."""
        response = super().response_change(request, obj)
        if response.status_code == 302 and "_continue" not in request.POST:
            day = timezone.localtime(obj.start).date().isoformat()
            return HttpResponseRedirect(
                reverse("admin:bookings_appointment_diary") + f"?date={day}"
            )
        return response

    @staticmethod
    def _may_read_assessment(request: HttpRequest) -> bool:
        return request.user.has_perm("bookings.view_linked_assessment")

    def get_urls(self):
        def wrap(view):
            return self.admin_site.admin_view(
                lambda request, *args, **kwargs: view(self, request, *args, **kwargs)
            )

        return [
            path("diary/", wrap(admin_views.diary_view), name="bookings_appointment_diary"),
            path(
                "dashboard/",
                wrap(admin_views.dashboard_view),
                name="bookings_appointment_dashboard",
            ),
            path("book/", wrap(admin_views.phone_booking_view), name="bookings_appointment_book"),
            path("reports/", wrap(admin_views.reports_view), name="bookings_appointment_reports"),
            path(
                "book/free-times/",
                wrap(admin_views.free_times_view),
                name="bookings_appointment_free_times",
            ),
            path("export/", wrap(admin_views.export_view), name="bookings_appointment_export"),
            path(
                "<int:object_id>/reschedule/",
                wrap(admin_views.reschedule_view),
                name="bookings_appointment_reschedule",
            ),
            path(
                "<int:object_id>/note/",
                wrap(admin_views.note_view),
                name="bookings_appointment_note",
            ),
            path(
                "<int:object_id>/status/",
                wrap(admin_views.status_view),
                name="bookings_appointment_status",
            ),
            *super().get_urls(),
        ]

    def add_view(self, request: HttpRequest, form_url="", extra_context=None):
        # Every appointment is booked through appointment_book: the add page is the phone form.
        query = request.META.get("QUERY_STRING", "")
        return HttpResponseRedirect(
            reverse("admin:bookings_appointment_book") + (f"?{query}" if query else "")
        )

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Appointments are cancelled, not deleted: the diary is a record.
        return False

    def changelist_view(self, request: HttpRequest, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_book": self.has_add_permission(request),
        }
        return super().changelist_view(request, extra_context)

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "can_change_appointment": obj is not None and self.has_change_permission(request, obj),
            "is_confirmed": obj is not None and obj.status == Appointment.Status.CONFIRMED,
            "diary_date": timezone.localtime(obj.start).date().isoformat() if obj else "",
            "quick_actions": status_quick_actions(appointment=obj, now=timezone.now())
            if obj is not None and self._may_mark(request, obj)
            else [],
            "can_write_note": request.user.has_perm("bookings.write_clinical_note"),
        }
        response = super().change_view(request, object_id, form_url, extra_context)
        if (
            request.method == "GET"
            and response.status_code == 200
            and obj is not None
            and obj.assessment is not None
            and self._may_read_assessment(request)
        ):
            # The shared answers were on the page: an access to the assessment, for the audit.
            accessed.send(sender=type(obj.assessment), instance=obj.assessment)
        return response

    @admin.display(description=_("when"), ordering="start")
    def when(self, obj: Appointment) -> str:
        return timezone.localtime(obj.start).strftime("%a %d %b %Y, %H:%M")

    @admin.display(description=_("status"), ordering="status")
    def status_display(self, obj: Appointment) -> str:
        return status_badge(obj.status, obj.get_status_display())

    @admin.display(description=_("discount"), ordering="discount_amount")
    def discount_display(self, obj: Appointment) -> str:
        if not obj.discount_code_text:
            return "-"
        return f"\u2212£{obj.discount_amount:.2f} ({obj.discount_label})"

    @admin.display(description=_("assessment"), boolean=True)
    def has_assessment(self, obj: Appointment) -> bool:
        return obj.assessment_id is not None

    @staticmethod
    def _assessment_text(obj: Appointment) -> str:
        submission = obj.assessment
        return f"{submission} · submitted {timezone.localtime(submission.created_at):%d %b %Y}"

    @admin.display(description=_("self-assessment"))
    def assessment_link(self, obj: Appointment) -> str:
        """For those who may open the assessments admin (managers): a link to the full record."""
        if obj.assessment is None:
            return "-"
        return format_html(
            '<a href="{}">{}</a>', obj.assessment.get_admin_url(), self._assessment_text(obj)
        )

    @admin.display(description=_("self-assessment"))
    def assessment_summary(self, obj: Appointment) -> str:
        """For practitioners: what it is, without a link to an admin they cannot open."""
        return "-" if obj.assessment is None else self._assessment_text(obj)

    @admin.display(description=_("answers"))
    def assessment_answers(self, obj: Appointment) -> str:
        if obj.assessment is None:
            return "-"
        return render_to_string(
            "assessments/admin/answers.html",
            {
                "rows": answer_rows(
                    obj.assessment.answers, wording_version=obj.assessment.wording_version
                )
            },
        )

    # --- Actions: each one calls the status service for each appointment -----------------------

    def _change_status(self, request, queryset, to_status, done_message) -> None:
        changed = 0
        for appointment in queryset.select_related("service", "practitioner"):
            try:
                appointment_status_change(
                    appointment=appointment,
                    to_status=to_status,
                    source=AppointmentStatusChange.Source.STAFF,
                    actor=request.user,
                )
            except AppointmentStatusError as exc:
                self.message_user(
                    request, f"{appointment.reference}: {exc.message}", messages.WARNING
                )
            else:
                changed += 1
        if changed:
            self.message_user(request, done_message(changed) % changed, messages.SUCCESS)

    @admin.action(description=_("Mark selected as attended"), permissions=["change"])
    def mark_completed(self, request: HttpRequest, queryset: QuerySet[Appointment]) -> None:
        self._change_status(
            request,
            queryset,
            Appointment.Status.COMPLETED,
            lambda n: ngettext(
                "Marked %d appointment attended.", "Marked %d appointments attended.", n
            ),
        )

    @admin.action(description=_("Mark selected as did not attend"), permissions=["change"])
    def mark_no_show(self, request: HttpRequest, queryset: QuerySet[Appointment]) -> None:
        self._change_status(
            request,
            queryset,
            Appointment.Status.NO_SHOW,
            lambda n: ngettext(
                "Marked %d appointment as did not attend.",
                "Marked %d appointments as did not attend.",
                n,
            ),
        )

    @admin.action(
        description=_("Cancel selected (by the clinic) and email the patients"),
        permissions=["change"],
    )
    def cancel_by_clinic(self, request: HttpRequest, queryset: QuerySet[Appointment]) -> None:
        self._change_status(
            request,
            queryset,
            Appointment.Status.CANCELLED_BY_CLINIC,
            lambda n: ngettext("Cancelled %d appointment.", "Cancelled %d appointments.", n),
        )
