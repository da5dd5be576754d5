"""Audit log entries in plain words for a clinic manager: "moved from Tue 10:00 to Wed 11:00".

A pure core: :func:`change_in_words` turns one entry's action, model and changes (auditlog's
``{field: [old, new]}``, values as strings) into a sentence. Bookkeeping fields (ids, versions,
timestamps the system keeps) are left out; masked values read "changed" without them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

REDACTED = "[redacted]"
LONDON = ZoneInfo("Europe/London")
#: Fields that say nothing to a person reading the log.
NOISE = frozenset({"id", "version", "updated_at", "created_at", "end", "reference"})
_EMPTY = {"None", "", "null"}


def when_in_words(value: str) -> str:
    """``2027-01-05 10:00:00+00:00`` as ``Tue 10:00`` (London time); other values as given."""
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return value
    if moment.tzinfo is None:
        return value
    return moment.astimezone(LONDON).strftime("%a %-d %b %H:%M")


def _value(value: str) -> str:
    return "nothing" if value in _EMPTY else when_in_words(value)


def _field_in_words(name: str, label: str, old: str, new: str) -> str:
    if REDACTED in (old, new):
        return f"{label} changed"
    if name == "start":
        return f"moved from {_value(old)} to {_value(new)}"
    if name == "status":
        return f"status from {_value(old)} to {_value(new)}"
    if old in _EMPTY:
        return f"{label} set to {_value(new)}"
    if new in _EMPTY:
        return f"{label} cleared (was {_value(old)})"
    return f"{label} from {_value(old)} to {_value(new)}"


def change_in_words(
    *,
    action: str,
    changes: Mapping[str, list] | None,
    label: Callable[[str], str] = lambda name: name.replace("_", " "),
    what: str = "",
) -> str:
    """One sentence for one audit entry. ``action`` is "create", "update", "delete",
    "access" or "export"; ``label`` gives a field's human name."""
    if action == "delete":
        return f"deleted {what}".strip()
    if action == "access":
        return f"opened {what}".strip()
    if action == "export":
        return f"exported {what}".strip()
    parts = [
        _field_in_words(name, label(name), str(pair[0]), str(pair[1]))
        for name, pair in (changes or {}).items()
        if name not in NOISE and isinstance(pair, list | tuple) and len(pair) == 2
    ]
    if action == "create":
        return f"created {what}".strip()
    return "; ".join(parts) or "saved with no visible change"
