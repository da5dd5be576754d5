"""The safety net: the symptoms that mean "get help now" or "get help today".

One home for these lists. The self-assessment's result pages and the articles' red-flag block
both render from :func:`safety_net_tiers`, so an article can never disagree with the tool.
"""

from dataclasses import dataclass

from django.utils.functional import Promise

from .questions import SAFETY_NET, SAFETY_NET_TITLE, URGENT_SAFETY_NET, URGENT_SAFETY_NET_TITLE


@dataclass(frozen=True, slots=True)
class SafetyNetTier:
    """One tier of the safety net: a heading (what to do) and the symptoms that call for it."""

    #: A stable identifier for templates and tests: ``"emergency"`` or ``"urgent"``.
    key: str
    title: str | Promise
    items: tuple[str | Promise, ...]


def safety_net_tiers() -> tuple[SafetyNetTier, ...]:
    """The tiers, most urgent first: 999 now, then a GP or NHS 111 today."""
    return (
        SafetyNetTier(key="emergency", title=SAFETY_NET_TITLE, items=SAFETY_NET),
        SafetyNetTier(key="urgent", title=URGENT_SAFETY_NET_TITLE, items=URGENT_SAFETY_NET),
    )
