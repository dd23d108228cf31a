"""Fixtures and helpers shared by the agenda interop tests (exports, import, API).

Imported by name in the test modules, so they don't clash with the agenda core's conftest.
"""

import datetime
import json
import zoneinfo
from pathlib import Path

import pytest
from django_scopes import scopes_disabled
from pretix.base.models import Team

from pretix_innowerkstatt.agenda.models import AgendaItem

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
DATA = Path(__file__).parent / "interop_data"
SCHEMA = json.loads((DATA / "c3voc-schedule-schema.json").read_text())
DEMOCON = DATA / "pretalx-democon-schedule.json"

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    '"><svg onload=alert(1)>',
]


@pytest.fixture
def evening(event):
    """The Innowerkstatt's running order: welcome, a talk with a speaker, work phase, open end."""
    with scopes_disabled():
        start = event.date_from
        adriana = event.organizer.innowerkstatt_speakers.create(
            name="Adriana Groh",
            role={"de": "Co-Organisatorin Wir vs. Virus Hackathon", "en": "Co-organiser Wir vs. Virus Hackathon"},
            biography={"de": "Gründete den **Prototype Fund** mit."},
            links=[{"label": "Website", "url": "https://example.org/adriana"}],
        )
        rows = [
            (0, 10, {"de": "Begrüßung", "en": "Welcome"}, "welcome", ""),
            (10, 40, {"de": "Wir vs. Virus Hackathon – ein Best Practice"}, "talk", "Plenum"),
            (40, 110, {"de": "Arbeitsphase"}, "work", "Breakout 1"),
            (120, None, {"de": "Ende"}, "end", ""),
        ]
        items = []
        for position, (begin, end, title, kind, room) in enumerate(rows):
            items.append(
                AgendaItem.objects.create(
                    event=event,
                    start=start + datetime.timedelta(minutes=begin),
                    end=start + datetime.timedelta(minutes=end) if end is not None else None,
                    title=title,
                    description={"de": "Mit *Markdown* und [Link](https://example.org/info)."},
                    kind=kind,
                    room={"de": room} if room else {},
                    position=position,
                )
            )
        items[1].speaker_links.create(speaker=adriana, role="speaker", position=0)
        return items


def add_items(event, count, *, speakers=2, subevent=None):
    """``count`` more items, each with ``speakers`` speakers, for query-count tests."""
    with scopes_disabled():
        people = [event.organizer.innowerkstatt_speakers.create(name=f"Person {i}") for i in range(speakers)]
        for index in range(count):
            item = AgendaItem.objects.create(
                event=event,
                subevent=subevent,
                start=event.date_from + datetime.timedelta(minutes=index),
                end=event.date_from + datetime.timedelta(minutes=index + 1),
                title={"de": f"Punkt {index}"},
                room={"de": f"Raum {index % 3}"},
                position=index,
            )
            for position, person in enumerate(people):
                item.speaker_links.create(speaker=person, position=position)


@pytest.fixture
def series(event):
    """The event as a series with two dates: one with its own agenda, one showing the event's."""
    with scopes_disabled():
        event.has_subevents = True
        event.save()
        own = event.subevents.create(name="Q1", date_from=event.date_from + datetime.timedelta(days=7), active=True)
        shared = event.subevents.create(name="Q2", date_from=event.date_from + datetime.timedelta(days=98), active=True)
        AgendaItem.objects.create(
            event=event,
            subevent=own,
            start=own.date_from + datetime.timedelta(minutes=5),
            title={"de": "Nur am ersten Termin"},
        )
        return own, shared


def api_token(organizer, **team_kwargs):
    """A real pretix team API token (``Authorization: Token …``)."""
    with scopes_disabled():
        team = Team.objects.create(organizer=organizer, name=f"API {Team.objects.count()}", **team_kwargs)
        return team.tokens.create(name="Integration").token


def assert_harmless_html(markup: str):
    """No script-capable tag, no event-handler attribute, no javascript: link in ``markup``."""
    from html.parser import HTMLParser

    found = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Tags().feed(markup)
    for tag, attrs in found:
        assert tag not in {"script", "img", "svg", "iframe", "object"}, markup
        for name, value in attrs:
            assert not name.startswith("on"), markup
            assert not (value or "").strip().lower().startswith("javascript:"), markup
