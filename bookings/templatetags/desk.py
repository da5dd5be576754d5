"""``{% desk_today as desk %}`` for the admin home (``templates/admin/index.html``)."""

from django import template

from ..desk import desk_today as desk_today_select

register = template.Library()


@register.simple_tag(takes_context=True)
def desk_today(context) -> dict | None:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("bookings.view_appointment"):
        return None
    return desk_today_select(user=user)
