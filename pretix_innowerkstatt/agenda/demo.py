"""Demo data of this capability, seeded by `make demo` (idempotent).

The Innowerkstatt's running order and its speaker as the seed text has them, and the
#UpdateDeutschland regional event with its "Initiatives present" block (filled by the slots demo). Rows
are found again by an ``external_id`` of their own, so a second run changes and adds nothing.
"""

import datetime

from django.urls import reverse

from .models import AgendaItem, AgendaItemSpeaker, Speaker

PREFIX = "innowerkstatt-demo:"

SPEAKERS = {
    "adriana-groh": {
        "name": "Adriana Groh",
        "role": {
            "de": "Co-Organisatorin Wir vs. Virus Hackathon, Project Lead Prototype Fund",
            "en": "Co-organiser of the Wir vs. Virus hackathon, project lead Prototype Fund",
        },
        "biography": {
            "de": (
                "Adriana Groh zeigt auf, wie die Zusammenarbeit zwischen der Verwaltung und der "
                "Zivilgesellschaft beim Hackathon **#WirVsVirus** organisiert wurde und was aus den "
                "Projekten geworden ist."
            ),
            "en": (
                "Adriana Groh shows how administration and civil society worked together in the "
                "**#WirVsVirus** hackathon, and what became of its projects."
            ),
        },
        "links": [{"label": "Prototype Fund", "url": "https://prototypefund.de/"}],
        "email": "adriana.groh@example.org",  # private: where her host link would be sent
    },
    "stefan-muhle": {
        "name": "Stefan Muhle",
        "role": {
            "de": (
                "Staatssekretär für Digitalisierung im Niedersächsischen Ministerium für Wirtschaft, "
                "Arbeit, Verkehr und Digitalisierung"
            ),
            "en": (
                "State Secretary for Digitalisation, Lower Saxony Ministry for Economic Affairs, "
                "Employment, Transport and Digitalisation"
            ),
        },
        "biography": {},
        "links": [],
        "email": "stefan.muhle@example.org",
    },
}

# (minutes after the start, length or None, kind, German title, English title, [(speaker, role)])
INNOWERKSTATT = [
    (0, 10, "welcome", "Begrüßung", "Welcome", []),
    (
        10,
        30,
        "talk",
        "Wir vs. Virus Hackathon – ein Best Practice",
        "Wir vs. Virus hackathon – a best practice",
        [("adriana-groh", "speaker")],
    ),
    (40, 30, "talk", "Schlaglichter aus dem BMFSFJ", "Highlights from the BMFSFJ", []),
    (70, 50, "work", "Arbeitsphase", "Work phase", []),
    (120, None, "end", "Ende", "End", []),
]

# The "Initiatives present" block: the slots demo (slots/demo.py) fills it with six five-minute
# presentations from approved orders.
UPDATE_DEUTSCHLAND = [
    (0, 10, "welcome", "Begrüßung", "Welcome", [("stefan-muhle", "host")]),
    (10, 30, "presentation", "Initiativen stellen sich vor", "Initiatives present", []),
    (40, 50, "panel", "Austausch und Ausblick", "Discussion and outlook", [("stefan-muhle", "moderator")]),
    (90, None, "end", "Ende", "End", []),
]
# external_id of the "Initiatives present" block, for the slots demo
UPDATE_DEUTSCHLAND_BLOCK = 1


def _speakers(organizer):
    result = {}
    for key, data in SPEAKERS.items():
        speaker, _created = Speaker.objects.update_or_create(
            organizer=organizer, external_id=PREFIX + key, defaults=data
        )
        result[key] = speaker
    return result


def _agenda(event, rows, speakers):
    for index, (offset, length, kind, de, en, people) in enumerate(rows):
        start = event.date_from + datetime.timedelta(minutes=offset)
        item, _created = AgendaItem.objects.update_or_create(
            event=event,
            subevent=None,
            external_id=f"{PREFIX}{event.slug}:{index}",
            defaults={
                "start": start,
                "end": start + datetime.timedelta(minutes=length) if length else None,
                "kind": kind,
                "title": {"de": de, "en": en},
                "position": index,
            },
        )
        for position, (key, role) in enumerate(people):
            AgendaItemSpeaker.objects.update_or_create(
                item=item, speaker=speakers[key], defaults={"role": role, "position": position}
            )
    # Rows an earlier demo had and this one has not (one placeholder per topic before the slots).
    for index in range(len(rows), len(rows) + 10):
        AgendaItem.objects.filter(event=event, subevent=None, external_id=f"{PREFIX}{event.slug}:{index}").delete()


def seed(demo):
    """Add this capability's demo data to ``demo`` (see core/demo.py); may run many times."""
    speakers = _speakers(demo.organizer)
    _agenda(demo.innowerkstatt, INNOWERKSTATT, speakers)
    _agenda(demo.update_deutschland, UPDATE_DEUTSCHLAND, speakers)
    agenda = reverse(
        "plugins:pretix_innowerkstatt:agenda",
        kwargs={"organizer": demo.organizer.slug, "event": demo.innowerkstatt.slug},
    )
    directory = reverse("plugins:pretix_innowerkstatt:speakers", kwargs={"organizer": demo.organizer.slug})
    demo.lines.append(f"Agenda:   {demo.base_url}{agenda}")
    demo.lines.append(f"Speakers: {demo.base_url}{directory}")
