"""Template helpers used across the site."""

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# The same escapes json_script uses, so a value can never close the script element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data: dict) -> SafeString:
    """Render ``data`` as a schema.org JSON-LD block."""
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


@register.filter
def gbp(value) -> str:
    """Money as patients read it: £51.00."""
    if value is None or value == "":
        return ""
    return f"£{value:,.2f}"
