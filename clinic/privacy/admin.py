from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from .forms import DataSubjectRequestForm, SubjectSearchForm
from .models import DataSubjectRequest
from .services import (
    data_subject_request_record,
    email_hash,
    export_as_json,
    subject_access_export,
    subject_erase,
    subject_erase_preview,
    subject_export_build,
    subject_for_email,
    subject_search,
)


@admin.register(DataSubjectRequest)
class DataSubjectRequestAdmin(admin.ModelAdmin):
    """The record of requests, read-only; requests are made through the request page."""

    list_display = [
        "reference",
        "kind",
        "status",
        "requested_on",
        "due_on_display",
        "performed_at",
        "performed_by",
    ]
    list_filter = ["status", "kind", "requested_on"]
    readonly_fields = [
        "reference",
        "kind",
        "status",
        "requested_on",
        "due_on_display",
        "recorded_by",
        "recorded_at",
        "performed_by",
        "performed_at",
        "email_hash",
        "summary",
    ]
    exclude = ["subject_email"]

    @admin.display(description=_("due by"))
    def due_on_display(self, obj: DataSubjectRequest) -> str:
        overdue = _(" (overdue)") if obj.is_overdue else ""
        return f"{obj.due_on:%d %b %Y}{overdue}"

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        return [
            path(
                "request/",
                self.admin_site.admin_view(self.request_view),
                name="privacy_datasubjectrequest_request",
            ),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("admin:privacy_datasubjectrequest_request")

    def _context(self, request: HttpRequest, **extra) -> dict:
        return {
            **self.admin_site.each_context(request),
            "title": _("Subject access or erasure request"),
            "opts": self.model._meta,
            "changelist_url": reverse("admin:privacy_datasubjectrequest_changelist"),
            **extra,
        }

    def request_view(self, request: HttpRequest) -> HttpResponse:
        """Find the person, preview what would be exported, erased and kept, then act."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            return self._request_post(request)
        search = SubjectSearchForm(request.GET or None)
        query = search.cleaned_data["q"] if search.is_valid() else ""
        email = request.GET.get("email", "").strip()
        open_request = self._open_request(request.GET.get("request"))
        if open_request is not None:
            email = open_request.subject_email
        form = DataSubjectRequestForm(
            initial={
                "email": email,
                "requested_on": open_request.requested_on if open_request else None,
                "kind": open_request.kind if open_request else "export",
            }
            if email
            else None
        )
        return TemplateResponse(
            request,
            "admin/privacy/request_form.html",
            self._context(
                request,
                search=search,
                results=subject_search(query) if query else None,
                form=form,
                open_request=open_request,
                **self._preview(email),
            ),
        )

    def _open_request(self, value) -> DataSubjectRequest | None:
        if not (value or "").isdigit():
            return None
        return DataSubjectRequest.objects.filter(
            pk=int(value), status=DataSubjectRequest.Status.OPEN
        ).first()

    def _preview(self, email: str) -> dict:
        if not email or "@" not in email:
            return {}
        subject = subject_for_email(email)
        return {
            "subject": subject,
            "export_preview": subject_export_build(subject=subject)["records"],
            "erase_preview": subject_erase_preview(email=email),
            "earlier_requests": DataSubjectRequest.objects.filter(email_hash=email_hash(email)),
        }

    def _request_post(self, request: HttpRequest) -> HttpResponse:
        form = DataSubjectRequestForm(request.POST)
        open_request = self._open_request(request.POST.get("request"))
        if not form.is_valid():
            email = request.POST.get("email", "")
            context = self._context(
                request, form=form, open_request=open_request, **self._preview(email)
            )
            return TemplateResponse(request, "admin/privacy/request_form.html", context, status=400)
        data = form.cleaned_data
        email, action = data["email"], data["action"]
        if action == "record":
            recorded = data_subject_request_record(
                email=email,
                kind=data["kind"],
                actor=request.user,
                requested_on=data["requested_on"],
            )
            self.message_user(
                request,
                _("Request %(reference)s recorded; due by %(due)s.")
                % {"reference": recorded.reference, "due": f"{recorded.due_on:%d %b %Y}"},
                messages.SUCCESS,
            )
            return redirect("admin:privacy_datasubjectrequest_changelist")
        done = {
            "actor": request.user,
            "request": open_request,
            "requested_on": data["requested_on"],
        }
        if action == "export":
            export = subject_access_export(email=email, **done)
            response = HttpResponse(
                export_as_json(export), content_type="application/json; charset=utf-8"
            )
            response["Content-Disposition"] = 'attachment; filename="subject-access.json"'
            return response
        summary = subject_erase(email=email, **done)
        self.message_user(
            request, _("Erasure done. See what was kept and why below."), messages.SUCCESS
        )
        return TemplateResponse(
            request,
            "admin/privacy/erasure_done.html",
            self._context(request, summary=summary, title=_("Erasure done")),
        )
