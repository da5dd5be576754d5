"""Practitioners' calendar feed addresses."""

from __future__ import annotations

from ..models import (
    Practitioner,
    feed_token_generate,
)


def practitioner_feed_token_regenerate(*, practitioner: Practitioner) -> str:
    """Give ``practitioner`` a new feed address; calendars using the old one stop updating."""
    practitioner.feed_token = feed_token_generate()
    practitioner.save(update_fields=["feed_token"])
    return practitioner.feed_token
