"""Pure helpers: the forms of an email address, phone number and name used to match people.

A UK number typed as ``01632 960123``, ``(01632) 960-123``, ``+44 1632 960123`` or
``0044 1632 960123`` normalises to ``01632960123``; other international numbers keep their
``+`` and country code (``+33612345678``).
"""

from __future__ import annotations

import re

_NOT_DIGIT = re.compile(r"\D")


def email_normalise(email: str) -> str:
    return (email or "").strip().lower()


def phone_normalise(phone: str) -> str:
    """The digits of ``phone`` in UK national form (``0`` + number), or ``+`` and digits for a
    number outside the UK; ``""`` when there are too few digits to be a number."""
    text = (phone or "").strip()
    international = text.startswith(("+", "00"))
    digits = _NOT_DIGIT.sub("", text)
    if text.startswith("00"):
        digits = digits[2:]
    if international or (digits.startswith("44") and len(digits) == 12):
        if digits.startswith("44"):
            national = digits[2:]
            return national if national.startswith("0") else f"0{national}"
        return f"+{digits}" if len(digits) >= 6 else ""
    return digits if len(digits) >= 6 else ""


def phone_digits_query(query: str) -> str:
    """The normalised phone form of a search query, or ``""`` if it is not phone-like (search
    as you type: a few digits typed so far are enough)."""
    text = (query or "").strip()
    if not text or re.search(r"[^\d\s()+\-.]", text):
        return ""
    digits = _NOT_DIGIT.sub("", text)
    if len(digits) < 4:
        return ""
    return phone_normalise(text) or digits


def name_normalise(name: str) -> str:
    return " ".join((name or "").split()).casefold()
