from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .forms import DataSubjectRequestForm
from .models import DataSubjectRequest
from .services import export_as_json, subject_access_export, subject_erase


@admin.register(DataSubjectRequest)
class DataSubjectRequestAdmin(admin.ModelAdmin):
    """The record of requests, read-only; new requests are made through the request form."""

    list_display = ["performed_at", "kind", "performed_by", "short_hash"]
    list_filter = ["kind", "performed_at"]
    readonly_fields = ["kind", "email_hash", "performed_by", "performed_at", "summary"]

    @admin.display(description=_("email (hash)"))
    def short_hash(self, obj: DataSubjectRequest) -> str:
        return obj.email_hash[:12]

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
        from django.shortcuts import redirect

        return redirect("admin:privacy_datasubjectrequest_request")

    def request_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = DataSubjectRequestForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            email = form.cleaned_data["email"]
            if form.cleaned_data["action"] == "export":
                export = subject_access_export(email=email, actor=request.user)
                response = HttpResponse(
                    export_as_json(export), content_type="application/json; charset=utf-8"
                )
                filename = f"subject-access-{slugify(email.replace('@', '-at-'))}.json"
                response["Content-Disposition"] = f'attachment; filename="{filename}"'
                return response
            summary = subject_erase(email=email, actor=request.user)
            self.message_user(
                request, _("Erasure done. See what was kept and why below."), messages.SUCCESS
            )
            return TemplateResponse(
                request,
                "admin/privacy/erasure_done.html",
                {
                    **self.admin_site.each_context(request),
                    "summary": summary,
                    "title": _("Erasure done"),
                    "opts": self.model._meta,
                },
            )
        return TemplateResponse(
            request,
            "admin/privacy/request_form.html",
            {
                **self.admin_site.each_context(request),
                "form": form,
                "title": _("Subject access or erasure request"),
                "opts": self.model._meta,
                "changelist_url": reverse("admin:privacy_datasubjectrequest_changelist"),
            },
        )
