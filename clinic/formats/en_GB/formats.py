"""British formats with the 24-hour clock everywhere (the admin included): a clinic's diary
reads 14:30, not "2:30 p.m.". Django's own en_GB formats use the 12-hour clock."""

from django.conf.locale.en_GB.formats import *  # noqa: F403

TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
