"""Dates and times as attendees read them, in the active language's own formats.

pretix's English ``SHORT_DATE_FORMAT`` and ``SHORT_DATETIME_FORMAT`` are ISO ("2026-12-04",
"2026-12-04 22:24"), while its German ones are localised. Its ``DATE_FORMAT`` and
``TIME_FORMAT`` are localised in every language, and pretix's own event pages use them, so
every mail, page, calendar description and PDF text of the plugin formats moments here:

- ``day``: "Dec. 4, 2026" / "4. Dezember 2026";
- ``time_of_day``: "22:24" (12-hour clock where the language has one, e.g. ``en-us``);
- ``date_and_time``: "Dec. 4, 2026, 22:24" / "4. Dezember 2026, 22:24".

The caller converts to the event's timezone first (``dt.astimezone(event.timezone)``).
"""

from django.utils.formats import date_format


def day(dt) -> str:
    return date_format(dt, "DATE_FORMAT")


def time_of_day(dt) -> str:
    return date_format(dt, "TIME_FORMAT")


def date_and_time(dt) -> str:
    return f"{day(dt)}, {time_of_day(dt)}"
