"""The public agenda files of a 30-item agenda versus pretix's own one-entry calendar download."""

import itertools

from django.test import Client
from django_scopes import scopes_disabled

from bench.harness import Scenario
from bench.scenarios.agenda_front_page import add_agenda
from bench.setup import make_event

_counter = itertools.count()


def setup():
    with scopes_disabled():
        event = make_event("bench-agenda-files-" + str(next(_counter)))
        add_agenda(event)
    base = f"/{event.organizer.slug}/{event.slug}/"
    return {"client": Client(), "base": base}


def _get(ctx, path, content_type, *, fresh=False):
    """One download; ``fresh``: as the first after a change of the agenda (nothing reused)."""
    if fresh:
        from pretix_innowerkstatt.agenda import caching

        caching.forget_all()
    response = ctx["client"].get(ctx["base"] + path)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith(content_type)


SCENARIOS = [
    Scenario(
        name="agenda.ics (30 items) vs pretix's event .ics, first download after a change",
        setup=setup,
        baseline=lambda ctx: _get(ctx, "ical/", "text/calendar"),
        candidate=lambda ctx: _get(ctx, "innowerkstatt/agenda.ics", "text/calendar", fresh=True),
        note="pretix's file has one VEVENT, ours 30 with speakers and a VTIMEZONE, serialised by icalendar",
    ),
    Scenario(
        name="agenda.ics (30 items) vs pretix's event .ics, agenda unchanged",
        setup=setup,
        baseline=lambda ctx: _get(ctx, "ical/", "text/calendar"),
        candidate=lambda ctx: _get(ctx, "innowerkstatt/agenda.ics", "text/calendar"),
        goal=1.5,
        note="what subscribed calendars fetch again and again: the file is reused, one version query",
    ),
    Scenario(
        name="schedule.json (30 items) vs pretix's event .ics",
        setup=setup,
        baseline=lambda ctx: _get(ctx, "ical/", "text/calendar"),
        candidate=lambda ctx: _get(ctx, "innowerkstatt/schedule.json", "application/json"),
        goal=1.5,
    ),
]
