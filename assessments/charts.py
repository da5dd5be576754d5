"""The outcome counts as an inline SVG bar chart, drawn on the server (no JavaScript).

Accessible by construction: ``role="img"`` with a title and a description that gives the
figures in words; the page shows the same numbers in a table. The two series differ by more
than colour (the same-day bars are hatched) and both colours pass 3:1 against white.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.formats import date_format
from django.utils.safestring import SafeString

from assessments.selectors import DayOutcomes
from clinic.charts import Column, Series, paired_bars_svg

ALL_COMPLETED = Series(name="All completed", colour="#1f5f8b")
SAME_DAY = Series(name="Sent to 999, A&E or a GP today", colour="#a4161a", tint="#f8d7da")


def outcomes_chart_svg(
    days: Sequence[DayOutcomes], *, chart_id: str = "outcomes-chart"
) -> SafeString:
    """Bars per day: every completed assessment, and those sent to 999, A&E or a GP today."""
    label_every = max(1, len(days) // 10)
    total = sum(d.total for d in days)
    same_day = sum(d.same_day_care for d in days)
    return paired_bars_svg(
        chart_id=chart_id,
        title=f"Completed self-assessments per day, last {len(days)} days",
        description=(
            f"Completed self-assessments each day for the last {len(days)} days: {total} in "
            f"all, {same_day} of them sent to 999, A&E or a GP the same day."
        ),
        columns=[
            Column(
                date_format(d.day, "j M") if i % label_every == 0 else "",
                d.total,
                d.same_day_care,
            )
            for i, d in enumerate(days)
        ],
        first=ALL_COMPLETED,
        second=SAME_DAY,
    )
