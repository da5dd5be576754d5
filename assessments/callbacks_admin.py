"""The red-flag call-back queue in the back office, for reception, practitioners and managers.

Listed: when, the patient's name and phone, the level, and the last call. Each row opens a page
to record the call (outcome and a note) and mark the self-assessment reviewed. The answers and
the warning signs are shown only to roles that may read health data.
"""

from __future__ import annotations

from auditlog.signals import accessed
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from .callbacks import (
    CALL_DONE,
    CallBackError,
    callback_answers_visible,
    callback_list,
    callback_needs_call,
    submission_call_record,
)
from .models import CallBack, CallOutcome, Submission
from .presentation import answer_rows, reason_rows
from .services import submission_mark_reviewed


class CallStateFilter(admin.SimpleListFilter):
    title = _("call")
    parameter_name = "call"

    def lookups(self, request, model_admin):
        return [("todo", _("Still to call")), ("done", _("Called"))]

    def queryset(self, request, queryset):
        if self.value() == "todo":
            return callback_needs_call(queryset)
        if self.value() == "done":
            return queryset.filter(call_outcome__in=CALL_DONE)
        return queryset


class CallForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("What came of the call?"), choices=CallOutcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _when(value) -> str:
    return date_format(localtime(value), "D j M H:i") if value else ""


@admin.register(CallBack)
class CallBackAdmin(admin.ModelAdmin):
    list_display = ["submitted", "name", "phone", "level", "call_state", "is_reviewed"]
    list_display_links = ["name"]
    list_filter = [CallStateFilter, "level"]
    search_fields = ["contact_name", "contact_phone"]
    ordering = ["-called_at", "-created_at"]  # not yet called first (NULLs first when DESC)
    actions = None

    def get_queryset(self, request: HttpRequest):
        return callback_list()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("submitted"), ordering="created_at")
    def submitted(self, obj: CallBack) -> str:
        return _when(obj.created_at)

    @admin.display(description=_("name"), ordering="contact_name")
    def name(self, obj: CallBack) -> str:
        return obj.contact_name

    @admin.display(description=_("phone"))
    def phone(self, obj: CallBack) -> str:
        if not obj.contact_phone:
            return obj.contact_email
        return format_html(
            '<a href="tel:{}">{}</a>', obj.contact_phone.replace(" ", ""), obj.contact_phone
        )

    @admin.display(description=_("call"), ordering="called_at")
    def call_state(self, obj: CallBack) -> str:
        if not obj.called_at:
            return _("To call")
        return f"{obj.get_call_outcome_display()} ({_when(obj.called_at)})"

    @admin.display(description=_("reviewed"), boolean=True, ordering="reviewed_at")
    def is_reviewed(self, obj: CallBack) -> bool:
        return obj.reviewed_at is not None

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        return self.callback_view(request, object_id)

    def callback_view(self, request: HttpRequest, object_id) -> HttpResponse:
        callback = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_view_or_change_permission(request, callback):
            raise PermissionDenied
        can_record = self.has_change_permission(request, callback)
        form = CallForm(request.POST if request.method == "POST" else None)
        if request.method == "POST":
            if not can_record:
                raise PermissionDenied
            response = self._record(request, callback, form)
            if response is not None:
                return response
        else:
            accessed.send(sender=Submission, instance=callback)
        show_answers = callback_answers_visible(request.user)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Call back %(name)s") % {"name": callback.contact_name},
            "callback": callback,
            "submitted": _when(callback.created_at),
            "called": _when(callback.called_at),
            "form": form,
            "can_record": can_record,
            "show_answers": show_answers,
            "answers": (
                answer_rows(callback.answers, wording_version=callback.wording_version)
                if show_answers
                else []
            ),
            "reasons": (
                reason_rows(callback.rule_ids, callback.wording_version) if show_answers else []
            ),
            "queue_url": reverse("admin:assessments_callback_changelist"),
        }
        return TemplateResponse(request, "admin/assessments/callback.html", context)

    def _record(self, request: HttpRequest, callback: CallBack, form: CallForm):
        if "mark_reviewed" in request.POST:
            if submission_mark_reviewed(submission=callback, actor=request.user):
                self.message_user(request, _("Marked as reviewed."), messages.SUCCESS)
            return redirect(request.path)
        if not form.is_valid():
            return None
        try:
            submission_call_record(
                submission=callback,
                actor=request.user,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except CallBackError as error:
            form.add_error(None, str(error))
            return None
        self.message_user(
            request,
            _("Call to %(name)s recorded.") % {"name": callback.contact_name},
            messages.SUCCESS,
        )
        return redirect(reverse("admin:assessments_callback_changelist") + "?call=todo")
