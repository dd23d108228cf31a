"""Agenda fixtures: the Innowerkstatt's running order with its speaker, as the seed text has it."""

import datetime

import pytest
from django_scopes import scopes_disabled

from pretix_innowerkstatt.agenda.models import AgendaItem
from tests.conftest import team_member

ROWS = [
    (0, None, "Begrüßung", "Welcome", "welcome"),
    (10, 40, "Wir vs. Virus Hackathon – ein Best Practice", "Wir vs. Virus hackathon – a best practice", "talk"),
    (40, 70, "Schlaglichter aus dem BMFSFJ", "Highlights from the BMFSFJ", "talk"),
    (70, 120, "Arbeitsphase", "Work phase", "work"),
    (120, None, "Ende", "End", "end"),
]


@pytest.fixture
def adriana(organizer):
    with scopes_disabled():
        return organizer.innowerkstatt_speakers.create(
            name="Adriana Groh",
            role={
                "de": "Co-Organisatorin Wir vs. Virus Hackathon, Project Lead Prototype Fund",
                "en": "Co-organiser Wir vs. Virus hackathon, project lead Prototype Fund",
            },
            biography={"de": "Adriana Groh hat den **Prototype Fund** aufgebaut."},
            links=[{"label": "Website", "url": "https://prototypefund.de"}],
        )


@pytest.fixture
def speaker_writer_only_events(organizer, event):
    """May change event settings, but not the organiser's (so not its speaker directory)."""
    return team_member(
        organizer, "events@innovationsbuero.example", name="Events", all_events=True, all_event_permissions=True
    )


def make_agenda(event, speaker=None, subevent=None):
    start = (subevent or event).date_from
    with scopes_disabled():
        items = [
            AgendaItem.objects.create(
                event=event,
                subevent=subevent,
                start=start + datetime.timedelta(minutes=begin),
                end=start + datetime.timedelta(minutes=end) if end is not None else None,
                title={"de": de, "en": en},
                kind=kind,
                position=index,
            )
            for index, (begin, end, de, en, kind) in enumerate(ROWS)
        ]
        if speaker is not None:
            items[1].speaker_links.create(speaker=speaker, role="speaker")
    return items


@pytest.fixture
def agenda(event, adriana):
    return make_agenda(event, adriana)


@pytest.fixture(autouse=True)
def fresh_agenda_renderings():
    """Each test starts without renderings remembered by an earlier one (ids repeat between tests)."""
    from pretix_innowerkstatt.agenda import caching

    caching.forget_all()
    yield
    caching.forget_all()


@pytest.fixture
def two_dates(event, item, adriana):
    """A series with two dates on sale: Q2 shows the event's agenda, Q3 has its own ("Sommerausgabe")."""
    with scopes_disabled():
        event.has_subevents = True
        event.save()
        q2 = event.subevents.create(name="Q2", date_from=event.date_from, active=True)
        q3 = event.subevents.create(name="Q3", date_from=event.date_from + datetime.timedelta(days=91), active=True)
        for se in (q2, q3):
            event.quotas.create(name=se.name, size=10, subevent=se).items.add(item)
        make_agenda(event, adriana)
        AgendaItem.objects.create(event=event, subevent=q3, start=q3.date_from, title={"de": "Sommerausgabe"})
    return q2, q3
