"""What the back office's own pages share: the admin context, permission checks, days."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from ..forms import parse_day
from ..models import Practitioner


def admin_context(model_admin, request: HttpRequest, title: str, **extra) -> dict:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": title,
        **extra,
    }


def require(request: HttpRequest, allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def parse_admin_day(value: str, default: date) -> date:
    return parse_day(value) or default


def visible_practitioners(request: HttpRequest):
    practitioners = Practitioner.objects.filter(active=True).order_by("position", "name")
    if request.user.has_perm("bookings.view_all_appointments"):
        return practitioners
    return practitioners.filter(user=request.user)


def int_or_none(value) -> int | None:
    """A primary key from a query string, or ``None`` for anything that is not digits."""
    return int(value) if isinstance(value, str) and value.isdigit() else None
