"""The diary: a day or a week of every visible practitioner's time."""

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ..days import clinic_tz
from ..models import Practitioner
from ..selectors import diary_build
from ..services import status_quick_actions
from .common import admin_context, parse_admin_day, require, visible_practitioners
from .diary_grid import DiaryGrid


def day_sheet(diary, *, now, can_change: bool) -> list[dict]:
    """The day's appointments per practitioner, by time, each with its one-click statuses.

    Built from the diary already loaded: no further query.
    """
    return [
        {
            "practitioner": column.practitioner,
            "rows": [
                {
                    "appointment": block.appointment,
                    "actions": status_quick_actions(appointment=block.appointment, now=now)
                    if can_change
                    else [],
                }
                for block in column.appointments
            ],
        }
        for column in diary.columns
    ]


def diary_view(model_admin, request: HttpRequest) -> TemplateResponse:
    """A day or a week, per practitioner or everyone: appointments, time off and free time."""
    require(request, model_admin.has_view_permission(request))
    today = timezone.localdate()
    view = "week" if request.GET.get("view") == "week" else "day"
    day = parse_admin_day(request.GET.get("date", ""), today)
    first_day = day - timedelta(days=day.weekday()) if view == "week" else day
    days = 7 if view == "week" else 1

    visible = visible_practitioners(request)
    chosen = request.GET.get("practitioner", "all")
    practitioners = visible
    if chosen.isdigit():
        practitioners = visible.filter(pk=int(chosen))
    diary = diary_build(
        practitioners=practitioners,
        first_day=first_day,
        days=days,
        appointments=model_admin.get_queryset(request),
    )
    step = timedelta(days=days)

    def link(**changes) -> str:
        params = {"view": view, "date": first_day.isoformat(), "practitioner": chosen, **changes}
        return "?" + urlencode(params)

    own = Practitioner.objects.filter(user_id=request.user.pk).first()
    can_change = model_admin.has_change_permission(request)
    can_book = model_admin.has_add_permission(request)
    grid = DiaryGrid(hours=diary.hours, tz=clinic_tz(), can_book=can_book)
    return TemplateResponse(
        request,
        "admin/bookings/diary.html",
        admin_context(
            model_admin,
            request,
            _("Diary"),
            diary=diary,
            columns=[(column, grid.column(column)) for column in diary.columns],
            view=view,
            first_day=first_day,
            last_day=first_day + step - timedelta(days=1),
            today=today,
            chosen=chosen,
            practitioner_choices=list(visible),
            previous_url=link(date=(first_day - step).isoformat()),
            next_url=link(date=(first_day + step).isoformat()),
            today_url=link(date=today.isoformat()),
            day_url=link(view="day"),
            week_url=link(view="week"),
            can_book=can_book,
            day_sheet=day_sheet(diary, now=timezone.now(), can_change=can_change)
            if view == "day"
            else [],
            next=request.get_full_path(),
            own_feed_url=settings.SITE_URL + own.get_feed_url() if own else "",
            # The diary needs the width: no app list beside it.
            is_nav_sidebar_enabled=False,
        ),
    )
