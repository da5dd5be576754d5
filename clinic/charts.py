"""Bar charts as inline SVG, drawn on the server: no JavaScript, nothing from a CDN.

Accessible by construction: ``role="img"`` with a ``<title>`` and a ``<desc>`` that states the
figures in words, text labels on the axis and a legend in text; every page that shows a chart
puts the same numbers in a table next to it. The second series is told apart by more than
colour (its bars are hatched), and both colours must pass 3:1 against white.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 30, 40


@dataclass(frozen=True, slots=True)
class Series:
    """One series of bars: its name in the legend, its colour, and (hatched) its tint."""

    name: str
    colour: str
    tint: str = ""


@dataclass(frozen=True, slots=True)
class Column:
    """One column of the chart: an axis label and the value of each of the two series."""

    label: str
    first: int
    second: int


def nice_max(value: int) -> int:
    """A round top for the axis at or above ``value``."""
    for candidate in (4, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if value <= candidate:
            return candidate
    return -(-value // 1000) * 1000


def _n(value: float) -> str:
    return f"{value:.1f}"


def paired_bars_svg(
    *,
    chart_id: str,
    title: str,
    description: str,
    columns: Sequence[Column],
    first: Series,
    second: Series,
) -> SafeString:
    """Two bars per column, side by side: ``first`` solid, ``second`` hatched."""
    top_value = nice_max(max((c.first for c in columns), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(columns), 1)
    bar = slot * 0.38

    def y(value: int) -> str:
        return _n(TOP + plot_h - plot_h * value / top_value)

    def height(value: int) -> str:
        return _n(plot_h * value / top_value)

    grid = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#d0d7de"/>'
        '<text x="{}" y="{}" text-anchor="end" font-size="11" fill="#333">{}</text>',
        (
            (LEFT, WIDTH - RIGHT, y(v), y(v), LEFT - 6, _n(float(y(v)) + 4), v)
            for v in (0, top_value // 2, top_value)
        ),
    )
    bars = format_html_join(
        "",
        '<g><rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="url(#{}-hatch)" stroke="{}"/>'
        '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="#333">{}</text></g>',
        (
            (
                _n(LEFT + i * slot + slot * 0.12),
                y(column.first),
                _n(bar),
                height(column.first),
                first.colour,
                _n(LEFT + i * slot + slot * 0.12 + bar),
                y(column.second),
                _n(bar),
                height(column.second),
                chart_id,
                second.colour,
                _n(LEFT + i * slot + slot / 2),
                HEIGHT - BOTTOM + 16,
                column.label,
            )
            for i, column in enumerate(columns)
        ),
    )
    second_legend = LEFT + 38 + 7 * len(first.name)
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" '
        'role="img" aria-labelledby="{id}-title {id}-desc" class="dashboard-chart" id="{id}">'
        '<title id="{id}-title">{title}</title>'
        '<desc id="{id}-desc">{desc}</desc>'
        '<defs><pattern id="{id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="{tint}"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="{sc}" stroke-width="3"/></pattern></defs>'
        "{grid}{bars}"
        '<g font-size="12" fill="#1b1f23">'
        '<rect x="{lx}" y="6" width="12" height="12" fill="{fc}"/>'
        '<text x="{lx2}" y="16">{first}</text>'
        '<rect x="{lx3}" y="6" width="12" height="12" fill="url(#{id}-hatch)" stroke="{sc}"/>'
        '<text x="{lx4}" y="16">{second}</text></g>'
        "</svg>",
        w=WIDTH,
        h=HEIGHT,
        id=chart_id,
        title=title,
        desc=description,
        tint=second.tint,
        grid=grid,
        bars=bars,
        fc=first.colour,
        sc=second.colour,
        first=first.name,
        second=second.name,
        lx=LEFT,
        lx2=LEFT + 18,
        lx3=second_legend,
        lx4=second_legend + 18,
    )
