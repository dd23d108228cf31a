"""The frab/c3voc ``schedule.json`` format: export of an agenda (reading one: ``domain/importing.py``).

The export follows the c3voc JSON Schema (https://c3voc.de/schedule/schema.json, draft-06) that
pretalx, frab and the Fahrplan/Giggity/ConfClerk apps use. Persons are written in the pretalx
shape (``name``, not frab's ``public_name``/``id``): the schema accepts exactly one of the two.
All text is sanitised plain text; join links or anything else private never appear.
"""

import datetime
import re
import uuid
from collections import OrderedDict
from urllib.parse import urljoin

from django.conf import settings
from django.utils.text import slugify

from ... import __version__
from ..domain.importing import default_room, speaker_guid
from ..domain.plaintext import markdown_text, plain_text
from ..domain.speaker_links import clean_links
from .published import Occurrence, event_timezone

SCHEMA_URL = "https://c3voc.de/schedule/schema.json"


def _room_guid(event, name) -> str:
    path = f"{settings.SITE_URL}/innowerkstatt/{event.organizer.slug}/{event.slug}/room/{name}"
    return str(uuid.uuid5(uuid.NAMESPACE_URL, path))


def _acronym(event, subevent) -> str:
    # The schema wants ^[a-z0-9_-][a-z0-9_]{3,}…: no hyphens after the first character.
    base = re.sub(r"[^a-z0-9_]", "_", event.slug.lower())
    if subevent is not None:
        base += f"_{subevent.pk}"
    return base.ljust(4, "_")


def _duration(start, end) -> str:
    minutes = int((end - start).total_seconds() // 60) if end and end > start else 0
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


# Percent-encoded as a browser would send them, so that no URL in the file carries anything tag-like.
URL_QUOTED = str.maketrans({'"': "%22", "<": "%3C", ">": "%3E", "`": "%60"})


def _person(speaker) -> dict:
    person = {"guid": speaker_guid(speaker), "name": plain_text(speaker.name)}
    biography = markdown_text(speaker.biography)
    if biography:
        person["biography"] = biography
    if speaker.photo:
        person["avatar"] = urljoin(settings.SITE_URL, speaker.photo.url)
    links = [
        {"url": link["url"].translate(URL_QUOTED), "title": plain_text(link["label"])}
        for link in clean_links(speaker.links)
    ]
    if links:
        person["links"] = links
    return person


def _talk(occurrence: Occurrence, *, tz, acronym, language, url) -> dict:
    item = occurrence.item
    title = plain_text(item.title)
    slug = f"{acronym}-{item.pk}-{slugify(title)}"[:120].strip("-_").replace("_", "-")
    talk = {
        "id": item.pk,
        "guid": str(occurrence.uid),
        "date": occurrence.start.astimezone(tz).isoformat(),
        "start": occurrence.start.astimezone(tz).strftime("%H:%M"),
        "duration": _duration(occurrence.start, occurrence.end),
        "room": plain_text(item.room) or default_room(),
        "slug": slug,
        "url": url,
        "title": title,
        "subtitle": "",
        "track": None,
        "type": item.kind,
        "language": language,
        "abstract": markdown_text(item.description),
        "description": None,
        "persons": [_person(link.speaker) for link in occurrence.speaker_links],
        "links": [],
    }
    if occurrence.end and occurrence.end > occurrence.start:
        talk["end"] = occurrence.end.astimezone(tz).isoformat()
    return talk


def schedule_document(event, subevent, occurrences: list[Occurrence], page_url, *, language: str) -> dict:
    """The ``schedule.json`` of the event, of one date, or (a series without a date) of all dates.

    ``page_url(subevent)`` gives the public page a talk links to.
    """
    tz = event_timezone(event)
    acronym = _acronym(event, subevent)
    days = OrderedDict()
    rooms = OrderedDict()
    for occurrence in occurrences:
        talk = _talk(occurrence, tz=tz, acronym=acronym, language=language, url=page_url(occurrence.subevent))
        day = days.setdefault(occurrence.start.astimezone(tz).date(), {"rooms": OrderedDict(), "occurrences": []})
        day["rooms"].setdefault(talk["room"], []).append(talk)
        day["occurrences"].append(occurrence)
        rooms.setdefault(talk["room"], None)

    day_list = []
    for index, (date, day) in enumerate(days.items(), start=1):
        starts = [o.start for o in day["occurrences"]]
        ends = [o.end or o.start for o in day["occurrences"]]
        day_list.append(
            {
                "index": index,
                "date": date.isoformat(),
                "day_start": min(starts).astimezone(tz).isoformat(),
                "day_end": max(ends + starts).astimezone(tz).isoformat(),
                "rooms": day["rooms"],
            }
        )

    shown = subevent or event
    title = plain_text(shown.name)
    if subevent is not None:
        title = f"{title} – {subevent.get_date_from_display(tz)}"
    first = min(days) if days else shown.date_from.astimezone(tz).date()
    last = max(days) if days else (shown.date_to or shown.date_from).astimezone(tz).date()
    updated = max((o.item.updated for o in occurrences), default=None)
    return {
        "$schema": SCHEMA_URL,
        "generator": {"name": "pretix-innowerkstatt", "version": __version__},
        "schedule": {
            "version": updated.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S") if updated else "0",
            "base_url": page_url(subevent),
            "conference": {
                "acronym": acronym,
                "title": title,
                "start": first.isoformat(),
                "end": last.isoformat(),
                "daysCount": len(day_list),
                "timeslot_duration": "00:05",
                "time_zone_name": str(tz),
                "url": page_url(subevent),
                "rooms": [{"name": name, "guid": _room_guid(event, name)} for name in rooms],
                "days": day_list,
            },
        },
    }
