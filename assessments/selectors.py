"""Reads for the self-assessment's anonymous outcome counts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Sum

from assessments.models import OutcomeCount, TriageLevel


@dataclass(frozen=True, slots=True)
class DayOutcomes:
    """Completed self-assessments on one day, by level (every ruleset version together)."""

    day: datetime.date
    by_level: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_level.values())

    @property
    def same_day_care(self) -> int:
        """Those sent to 999, A&E or a GP today."""
        return self.by_level.get(TriageLevel.EMERGENCY, 0) + self.by_level.get(
            TriageLevel.URGENT, 0
        )

    def count(self, level: str) -> int:
        return self.by_level.get(level, 0)


def outcome_days(*, today: datetime.date, days: int = 30) -> list[DayOutcomes]:
    """One entry per day for the last ``days`` days up to ``today``, oldest first (one query)."""
    first = today - datetime.timedelta(days=days - 1)
    rows = (
        OutcomeCount.objects.assessments()
        .since(first)
        .filter(day__lte=today)
        .values_list("day", "level")
        .annotate(n=Sum("count"))
    )
    by_day: dict[datetime.date, dict[str, int]] = {}
    for day, level, n in rows:
        by_day.setdefault(day, {})[level] = n
    return [
        DayOutcomes(day=day, by_level=by_day.get(day, {}))
        for day in (first + datetime.timedelta(days=offset) for offset in range(days))
    ]


def outcome_rule_totals(*, since: datetime.date) -> list[tuple[str, str, str, int]]:
    """How often each rule fired since ``since``: (ruleset version, level, rule id, count)."""
    return list(
        OutcomeCount.objects.since(since)
        .exclude(rule_id=OutcomeCount.ALL_RULES)
        .values_list("ruleset_version", "level", "rule_id")
        .annotate(n=Sum("count"))
        .order_by("ruleset_version", "-n", "rule_id")
    )
