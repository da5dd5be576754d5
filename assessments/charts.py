"""The outcome counts as an inline SVG bar chart, drawn on the server (no JavaScript).

Accessible by construction: ``role="img"`` with a title and a description that gives the
figures in words; the page shows the same numbers in a table. The two series differ by more
than colour (the same-day bars are hatched) and both colours pass 3:1 against white.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from assessments.selectors import DayOutcomes

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 30, 40
ALL_COLOUR = "#1f5f8b"
SAME_DAY_COLOUR = "#a4161a"


def _nice_max(value: int) -> int:
    for candidate in (4, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if value <= candidate:
            return candidate
    return -(-value // 1000) * 1000


def outcomes_chart_svg(
    days: Sequence[DayOutcomes], *, chart_id: str = "outcomes-chart"
) -> SafeString:
    """Bars per day: every completed assessment, and those sent to 999, A&E or a GP today."""
    top_value = _nice_max(max((d.total for d in days), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(days), 1)
    bar = slot * 0.4

    def y(value: int) -> str:
        return f"{TOP + plot_h - plot_h * value / top_value:.1f}"

    def height(value: int) -> str:
        return f"{plot_h * value / top_value:.1f}"

    grid = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#d0d7de"/>'
        '<text x="{}" y="{}" text-anchor="end" font-size="11" fill="#333">{}</text>',
        (
            (LEFT, WIDTH - RIGHT, y(v), y(v), LEFT - 6, f"{float(y(v)) + 4:.1f}", v)
            for v in (0, top_value // 2, top_value)
        ),
    )
    label_every = max(1, len(days) // 10)
    bars = format_html_join(
        "",
        '<g><rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="url(#{}-hatch)" stroke="{}"/>'
        '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="#333">{}</text></g>',
        (
            (
                f"{LEFT + i * slot + slot * 0.1:.1f}",
                y(d.total),
                f"{bar:.1f}",
                height(d.total),
                ALL_COLOUR,
                f"{LEFT + i * slot + slot * 0.1 + bar:.1f}",
                y(d.same_day_care),
                f"{bar:.1f}",
                height(d.same_day_care),
                chart_id,
                SAME_DAY_COLOUR,
                f"{LEFT + i * slot + slot / 2:.1f}",
                HEIGHT - BOTTOM + 16,
                date_format(d.day, "j M") if i % label_every == 0 else "",
            )
            for i, d in enumerate(days)
        ),
    )
    total = sum(d.total for d in days)
    same_day = sum(d.same_day_care for d in days)
    description = (
        f"Completed self-assessments each day for the last {len(days)} days: {total} in all, "
        f"{same_day} of them sent to 999, A&E or a GP the same day."
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" '
        'role="img" aria-labelledby="{id}-title {id}-desc" class="dashboard-chart" id="{id}">'
        '<title id="{id}-title">Completed self-assessments per day, last {n} days</title>'
        '<desc id="{id}-desc">{desc}</desc>'
        '<defs><pattern id="{id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f8d7da"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="{sc}" stroke-width="3"/></pattern></defs>'
        "{grid}{bars}"
        '<g font-size="12" fill="#1b1f23">'
        '<rect x="{lx}" y="6" width="12" height="12" fill="{ac}"/>'
        '<text x="{lx2}" y="16">All completed</text>'
        '<rect x="{lx3}" y="6" width="12" height="12" fill="url(#{id}-hatch)" stroke="{sc}"/>'
        '<text x="{lx4}" y="16">Sent to 999, A&amp;E or a GP today</text></g>'
        "</svg>",
        w=WIDTH,
        h=HEIGHT,
        id=chart_id,
        n=len(days),
        desc=description,
        grid=grid,
        bars=bars,
        ac=ALL_COLOUR,
        sc=SAME_DAY_COLOUR,
        lx=LEFT,
        lx2=LEFT + 18,
        lx3=LEFT + 130,
        lx4=LEFT + 148,
    )
