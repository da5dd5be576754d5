"""The dashboard's and the reports' charts, drawn with ``clinic.charts`` (see there for how
they stay accessible)."""

from collections.abc import Sequence

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from clinic.charts import TOP, WIDTH, Column, Series, paired_bars_svg

from .selectors import WeekCount

BOOKINGS = Series(name="All bookings", colour="#1f5f8b")
DISCOUNTED = Series(name="With a discount code", colour="#b45309", tint="#fde7c8")


def bookings_chart_svg(
    weeks: Sequence[WeekCount], *, chart_id: str = "bookings-chart"
) -> SafeString:
    """Bars per week: all bookings, and those that used a discount code beside them."""
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
    return paired_bars_svg(
        chart_id=chart_id,
        title=f"Bookings per week, last {len(weeks)} weeks",
        description=description,
        columns=[Column(date_format(w.week_start, "j M"), w.bookings, w.discounted) for w in weeks],
        first=BOOKINGS,
        second=DISCOUNTED,
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
                BOOKINGS.colour,
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
