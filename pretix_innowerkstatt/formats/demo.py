"""Demo data of this capability, seeded by `make demo` (idempotent).

The format "Innovationswerkstatt": the last Wednesday of the 2nd month of each quarter,
18:00–20:00 Europe/Berlin, Berlin's public holidays avoided, the next four editions planned
and created as separate events copied from the demo's Innowerkstatt event.
"""

import datetime

from django.db import connection
from django.utils.timezone import now

from .domain import creation, editing
from .domain.rules import LAST, Period
from .models import Edition, Format

SLUG = "innovationswerkstatt"
EDITIONS = 4

# The Innowerkstatt's rule and naming (also used by the tests and the benchmark).
INNOWERKSTATT = dict(
    interval=3,
    rule_kind="weekday",
    ordinal=LAST,
    weekday=2,  # Wednesday
    month=2,
    start_time=datetime.time(18),
    end_time=datetime.time(20),
    holiday_state="BE",
    on_hit="next",
    name_pattern={"de": "Innovationswerkstatt {quarter}/{year}", "en": "Innovationswerkstatt {quarter}/{year}"},
    slug_pattern="innowerkstatt-{year}-q{q}",
)


def _tables_exist() -> bool:
    tables = connection.introspection.table_names()
    return Format._meta.db_table in tables and Edition._meta.db_table in tables


def seed(demo):
    """Add this capability's demo data to ``demo`` (see core/demo.py); may run many times."""
    if not _tables_exist():
        demo.lines.append("Formats:  skipped, the plugin's tables are missing (migrations not generated yet).")
        return
    organizer = demo.organizer
    fmt = Format.objects.filter(organizer=organizer, slug=SLUG).first()
    if fmt is None:
        fmt = Format(
            organizer=organizer,
            slug=SLUG,
            name={"de": "Innovationswerkstatt", "en": "Innovationswerkstatt"},
            template_event=demo.innowerkstatt,
            count=EDITIONS,
            public=True,  # the demo prints the series calendar's address
            **INNOWERKSTATT,
        )
        first = _first_future_period(fmt)
        fmt.first_year, fmt.first_period = first.year, first.index
        editing.save_format(fmt, user=demo.admin)
    # Creates only what is missing: a second run finds all four and creates nothing.
    creation.create_editions(fmt, user=demo.admin)
    editions = list(fmt.editions.select_related("event"))
    base = f"{demo.base_url}/{organizer.slug}"
    demo.lines.append(
        f"Formats:  {len(editions)} editions of “Innovationswerkstatt”: "
        + ", ".join(e.event.slug for e in editions if e.event_id)
    )
    demo.lines.append(f"          backend {demo.base_url}/control/organizer/{organizer.slug}/innowerkstatt/formats/")
    demo.lines.append(f"          series calendar {base}/innowerkstatt/formats/{SLUG}.ics")


def _first_future_period(fmt) -> Period:
    """This quarter if its date is still ahead, else the next one."""
    current = Period.of(now().astimezone(datetime.UTC).date(), fmt.interval)
    fmt.first_year, fmt.first_period, fmt.count = current.year, current.index, 1
    (date,) = creation.dates_of(fmt)
    fmt.count = EDITIONS
    return current if (date.start or date.rule_start) > now() else current.shifted(1)
