"""The dashboard's chart as inline SVG, drawn on the server: no JavaScript, nothing from a CDN.

Accessible by construction: ``role="img"`` with a ``<title>`` and a ``<desc>`` that states the
figures in words, text labels on the axis, a legend in text, and the page puts the same numbers
in a table next to it. Colours are told apart by more than colour (the discount bars are
hatched) and both pass 3:1 contrast against white.
"""

from collections.abc import Sequence

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .selectors import WeekCount

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 30, 40
BOOKINGS_COLOUR = "#1f5f8b"
DISCOUNT_COLOUR = "#b45309"


def _nice_max(value: int) -> int:
    for candidate in (4, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if value <= candidate:
            return candidate
    return -(-value // 1000) * 1000


def bookings_chart_svg(
    weeks: Sequence[WeekCount], *, chart_id: str = "bookings-chart"
) -> SafeString:
    """Bars per week: all bookings, and those that used a discount code beside them."""
    top_value = _nice_max(max((w.bookings for w in weeks), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(weeks), 1)
    bar = slot * 0.36

    def y(value: int) -> str:
        return f"{TOP + plot_h - plot_h * value / top_value:.1f}"

    def n(value: float) -> str:  # format_html escapes its arguments to text first
        return f"{value:.1f}"

    def height(value: int) -> str:
        return n(plot_h * value / top_value)

    grid = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#d0d7de"/>'
        '<text x="{}" y="{}" text-anchor="end" font-size="11" fill="#333">{}</text>',
        (
            (LEFT, WIDTH - RIGHT, y(v), y(v), LEFT - 6, n(float(y(v)) + 4), v)
            for v in (0, top_value // 2, top_value)
        ),
    )
    bars = format_html_join(
        "",
        '<g><rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="url(#{}-hatch)" '
        'stroke="{}"/>'
        '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="#333">{}</text></g>',
        (
            (
                n(LEFT + i * slot + slot * 0.12),
                y(w.bookings),
                n(bar),
                height(w.bookings),
                BOOKINGS_COLOUR,
                n(LEFT + i * slot + slot * 0.12 + bar),
                y(w.discounted),
                n(bar),
                height(w.discounted),
                chart_id,
                DISCOUNT_COLOUR,
                n(LEFT + i * slot + slot / 2),
                HEIGHT - BOTTOM + 16,
                date_format(w.week_start, "j M"),
            )
            for i, w in enumerate(weeks)
        ),
    )
    total = sum(w.bookings for w in weeks)
    discounted = sum(w.discounted for w in weeks)
    busiest = max(weeks, key=lambda w: w.bookings, default=None)
    description = (
        f"Bookings made each week for the last {len(weeks)} weeks: {total} in all, "
        f"{discounted} of them with a discount code."
    )
    if busiest and busiest.bookings:
        description += (
            f" The busiest week began {date_format(busiest.week_start, 'j F')}"
            f" with {busiest.bookings}."
        )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" '
        'role="img" aria-labelledby="{id}-title {id}-desc" class="dashboard-chart" id="{id}">'
        '<title id="{id}-title">Bookings per week, last {n} weeks</title>'
        '<desc id="{id}-desc">{desc}</desc>'
        '<defs><pattern id="{id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fde7c8"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="{dc}" stroke-width="3"/></pattern></defs>'
        "{grid}{bars}"
        '<g font-size="12" fill="#1b1f23">'
        '<rect x="{lx}" y="6" width="12" height="12" fill="{bc}"/>'
        '<text x="{lx2}" y="16">All bookings</text>'
        '<rect x="{lx3}" y="6" width="12" height="12" fill="url(#{id}-hatch)" stroke="{dc}"/>'
        '<text x="{lx4}" y="16">With a discount code</text></g>'
        "</svg>",
        w=WIDTH,
        h=HEIGHT,
        id=chart_id,
        n=len(weeks),
        desc=description,
        grid=grid,
        bars=bars,
        bc=BOOKINGS_COLOUR,
        dc=DISCOUNT_COLOUR,
        lx=LEFT,
        lx2=LEFT + 18,
        lx3=LEFT + 120,
        lx4=LEFT + 138,
    )


def bar_chart_svg(
    *, title: str, bars: Sequence[tuple[str, float]], unit: str = "", chart_id: str
) -> SafeString:
    """Horizontal bars with their labels and values in text: one per (label, value).

    The page shows the same figures in a table; ``<desc>`` states them in words too.
    """
    row, label_w, width = 26, 240, WIDTH
    height = TOP + row * max(len(bars), 1) + 10
    top_value = max((value for _label, value in bars), default=0) or 1
    if unit == "%":
        top_value = max(top_value, 100)
    plot_w = width - label_w - 70
    desc = "; ".join(f"{label}: {value:g}{unit}" for label, value in bars) or "No data."
    rows = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="end" font-size="13" fill="#1b1f23">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
        '<text x="{}" y="{}" font-size="13" fill="#1b1f23">{}</text>',
        (
            (
                label_w - 8,
                f"{TOP + i * row + 17:.0f}",
                label,
                label_w,
                f"{TOP + i * row + 4:.0f}",
                f"{plot_w * value / top_value:.1f}",
                row - 8,
                BOOKINGS_COLOUR,
                f"{label_w + plot_w * value / top_value + 6:.1f}",
                f"{TOP + i * row + 17:.0f}",
                f"{value:g}{unit}",
            )
            for i, (label, value) in enumerate(bars)
        ),
    )
    return format_html(
        '<svg class="report-chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-t {}-d"'
        ' xmlns="http://www.w3.org/2000/svg"><title id="{}-t">{}</title><desc id="{}-d">{}</desc>'
        "{}</svg>",
        width,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        desc,
        rows,
    )
