"""A contact message's page in the back office: read it, call or email back, keep a note.

Replaces the admin's read-only change form (whose Save buttons did nothing). Every button here
does one thing through a service: mark replied, close, save the internal note, or send a reply
through the outbox (which also marks the message replied).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from clinic.states import IllegalTransition

from .models import MESSAGE_MAX_LENGTH, ContactMessage
from .services import (
    REPLY_MAX_LENGTH,
    contact_message_close,
    contact_message_mark_replied,
    contact_message_note_save,
    contact_message_reply,
)


class NoteForm(forms.Form):
    internal_note = forms.CharField(
        label=_("Internal note (staff only)"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Reply by email"),
        max_length=REPLY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Sent to the patient's email address with the clinic's name and phone."),
    )


def _act(request: HttpRequest, message: ContactMessage, note_form, reply_form) -> str | None:
    """Do the button's action; returns a success message, or ``None`` if a form has errors."""
    if "mark_replied" in request.POST:
        contact_message_mark_replied(contact_message=message, actor=request.user)
        return str(_("Marked as replied."))
    if "close" in request.POST:
        contact_message_close(contact_message=message, actor=request.user)
        return str(_("Message closed."))
    if "save_note" in request.POST:
        if not note_form.is_valid():
            return None
        contact_message_note_save(
            contact_message=message,
            note=note_form.cleaned_data["internal_note"],
            actor=request.user,
        )
        return str(_("Note saved."))
    if "send_reply" in request.POST:
        if not reply_form.is_valid():
            return None
        contact_message_reply(
            contact_message=message, body=reply_form.cleaned_data["body"], actor=request.user
        )
        return str(_("Reply sent to %(email)s and marked as replied.") % {"email": message.email})
    return None


def contact_message_page(model_admin, request: HttpRequest, object_id) -> HttpResponse:
    message = get_object_or_404(model_admin.get_queryset(request), pk=object_id)
    if not model_admin.has_view_or_change_permission(request, message):
        raise PermissionDenied
    can_change = model_admin.has_change_permission(request, message)
    posted = request.method == "POST"
    note_form = NoteForm(
        request.POST if posted and "save_note" in request.POST else None,
        initial={"internal_note": message.internal_note},
    )
    reply_form = ReplyForm(request.POST if posted and "send_reply" in request.POST else None)
    if posted:
        if not can_change:
            raise PermissionDenied
        try:
            done = _act(request, message, note_form, reply_form)
        except (IllegalTransition, ValueError) as error:
            messages.error(request, str(error))
            return redirect(request.path)
        if done is not None:
            messages.success(request, done)
            return redirect(request.path)
    emails = [
        n
        for n in message.notifications.order_by("created_at")
        if ":staff" not in n.key  # the staff alert is about the message, not to the patient
    ]
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Message from %(name)s") % {"name": message.name},
        "message_obj": message,
        "can_change": can_change,
        "is_closed": message.status == ContactMessage.Status.CLOSED,
        "note_form": note_form,
        "reply_form": reply_form,
        "emails": emails,
        "history": message.status_changes.select_related("changed_by"),
        "can_delete": model_admin.has_delete_permission(request, message),
    }
    return TemplateResponse(request, "admin/contact/message.html", context)
