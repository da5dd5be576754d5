"""Times read on the 24-hour clock everywhere, the admin included."""

from datetime import UTC, datetime, time

from django.template import Context, Template
from django.utils import translation


def test_times_and_datetimes_use_the_24_hour_clock():
    with translation.override("en-gb"):
        rendered = Template("{{ t|time }} · {{ d|date:'DATETIME_FORMAT' }}").render(
            Context({"t": time(14, 30), "d": datetime(2027, 1, 6, 14, 30, tzinfo=UTC)})
        )
    assert rendered == "14:30 · 6 Jan 2027, 14:30"
