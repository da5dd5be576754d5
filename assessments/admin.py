import datetime

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clinic.audit import AccessLoggedAdminMixin

from .charts import outcomes_chart_svg
from .models import OutcomeCount, Submission, TriageLevel
from .presentation import answer_rows, reason_rows
from .selectors import outcome_days, outcome_rule_totals
from .services import submission_delete, submission_mark_reviewed

#: How many days the outcome chart shows.
OUTCOME_CHART_DAYS = 30


class ReviewedFilter(admin.SimpleListFilter):
    title = _("reviewed")
    parameter_name = "reviewed"

    def lookups(self, request, model_admin):
        return [("no", _("Not yet reviewed")), ("yes", _("Reviewed"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.unreviewed()
        if self.value() == "yes":
            return queryset.reviewed()
        return queryset


@admin.register(Submission)
class SubmissionAdmin(AccessLoggedAdminMixin, admin.ModelAdmin):
    """Stored self-assessments, read-only: what the patient answered is a record, not a draft."""

    list_display = [
        "created_at",
        "reference",
        "level",
        "wants_contact",
        "contact_name",
        "is_reviewed",
        "retain_until",
    ]
    list_filter = ["level", ReviewedFilter, "created_at"]
    search_fields = ["contact_email", "contact_name", "contact_phone", "public_id"]
    date_hierarchy = "created_at"
    list_select_related = ["reviewed_by"]
    actions = ["mark_reviewed"]
    fieldsets = [
        (None, {"fields": ["reference", "created_at", "level", "triggered_reasons"]}),
        (_("Answers"), {"fields": ["answers_table"]}),
        (
            _("Contact"),
            {"fields": ["contact_consent_at", "contact_name", "contact_email", "contact_phone"]},
        ),
        (_("Review"), {"fields": ["reviewed_at", "reviewed_by"]}),
        (
            _("Consent and retention"),
            {
                "fields": [
                    "consent_health_storage_at",
                    "privacy_notice_version",
                    "retain_until",
                    "ruleset_version",
                    "wording_version",
                    "rule_ids",
                ],
                "classes": ["collapse"],
            },
        ),
    ]
    readonly_fields = [
        "reference",
        "created_at",
        "level",
        "triggered_reasons",
        "answers_table",
        "contact_consent_at",
        "contact_name",
        "contact_email",
        "contact_phone",
        "reviewed_at",
        "reviewed_by",
        "consent_health_storage_at",
        "privacy_notice_version",
        "retain_until",
        "ruleset_version",
        "wording_version",
        "rule_ids",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Submissions come only from patients, with their consent.
        return False

    @admin.display(description=_("reference"), ordering="public_id")
    def reference(self, obj: Submission) -> str:
        return obj.public_id.hex[:8]

    @admin.display(description=_("may contact"), boolean=True)
    def wants_contact(self, obj: Submission) -> bool:
        return obj.has_contact_consent

    @admin.display(description=_("reviewed"), boolean=True, ordering="reviewed_at")
    def is_reviewed(self, obj: Submission) -> bool:
        return obj.is_reviewed

    @admin.display(description=_("because the patient told us"))
    def triggered_reasons(self, obj: Submission) -> str:
        return render_to_string(
            "assessments/admin/reasons.html",
            {"rows": reason_rows(obj.rule_ids, obj.wording_version)},
        )

    @admin.display(description=_("answers"))
    def answers_table(self, obj: Submission) -> str:
        return render_to_string(
            "assessments/admin/answers.html",
            {"rows": answer_rows(obj.answers, wording_version=obj.wording_version)},
        )

    @admin.action(
        description=_("Mark selected self-assessments as reviewed"), permissions=["change"]
    )
    def mark_reviewed(self, request: HttpRequest, queryset: QuerySet[Submission]) -> None:
        count = sum(
            submission_mark_reviewed(submission=submission, actor=request.user)
            for submission in queryset
        )
        self.message_user(
            request,
            ngettext(
                "Marked %d self-assessment as reviewed.",
                "Marked %d self-assessments as reviewed.",
                count,
            )
            % count,
            messages.SUCCESS,
        )

    def delete_model(self, request: HttpRequest, obj: Submission) -> None:
        submission_delete(submission=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Submission]) -> None:
        for submission in queryset:
            submission_delete(submission=submission)


@admin.register(OutcomeCount)
class OutcomeCountAdmin(admin.ModelAdmin):
    """Anonymous daily counts of self-assessment results, read-only, with a chart."""

    change_list_template = "admin/assessments/outcomecount/change_list.html"
    list_display = ["day", "ruleset_version", "level", "rule_label", "count"]
    list_filter = ["ruleset_version", "level", "day"]
    date_hierarchy = "day"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("rule"), ordering="rule_id")
    def rule_label(self, obj: OutcomeCount) -> str:
        return obj.rule_id or _("(all assessments at this level)")

    def get_urls(self):
        chart = path(
            "chart/",
            self.admin_site.admin_view(self.chart_view),
            name="assessments_outcomecount_chart",
        )
        return [chart, *super().get_urls()]

    def chart_view(self, request: HttpRequest) -> TemplateResponse:
        """Completed self-assessments per day by level, and how often each rule fired."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        days = outcome_days(today=today, days=OUTCOME_CHART_DAYS)
        levels = TriageLevel.choices
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Self-assessment outcomes"),
            "chart": outcomes_chart_svg(days),
            "levels": levels,
            "rows": [(d, [d.count(value) for value, _label in levels], d.total) for d in days],
            "rules": outcome_rule_totals(
                since=today - datetime.timedelta(days=OUTCOME_CHART_DAYS - 1)
            ),
            "days": OUTCOME_CHART_DAYS,
        }
        return TemplateResponse(request, "admin/assessments/outcomecount/chart.html", context)
