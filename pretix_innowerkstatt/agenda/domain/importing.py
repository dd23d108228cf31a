"""Importing a frab or pretalx ``schedule.json``: checking and mapping the document, then storing it.

``parse_schedule`` turns the JSON document into plain data (or refuses it with a message for the
organiser); ``apply_schedule`` stores that data as agenda items and speakers in one transaction.

Decisions:

- Times stay the absolute times of the file (a talk at 09:00+01:00 is stored as that moment);
  ``shift_to_start`` moves the whole schedule so that its first talk starts when the event or
  date starts.
- A talk is the same item again when its ``guid`` (else ``id``/``slug``) matches the
  ``external_id`` (or, for our own export, the ``uid``) of an item of the same event and date; a
  person is the same speaker when their ``guid`` (else pretalx ``code``, else frab ``id``)
  matches a speaker of the organiser, else by exact name among speakers that came without one
  (who then keep the id). Matches are updated, never duplicated; items missing from a newer
  file are kept.
- Text: plain fields (title, room, name) are stripped of markup; abstracts, descriptions and
  biographies are stored as Markdown and, like everything organisers type, sanitised when shown.
- The text goes into the talk's language if the event uses it, else the event's default language.
- The speaker directory belongs to the organiser: whoever may not change it
  (``may_change_speakers=False``) still imports the items, but persons are only linked to the
  speakers they match, which stay as they are; persons not in the directory are not added. The
  result counts both, so the organiser is told what was left out.
"""

import datetime
import uuid
import zoneinfo
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.timezone import now
from django.utils.translation import gettext as _
from i18nfield.strings import LazyI18nString

from ..models import AgendaItem, AgendaItemSpeaker, Speaker
from .plaintext import markdown_text, plain_text
from .revisions import bump_sequence
from .shifting import time_between

MAX_ITEMS = 2000

# frab/pretalx submission types → our kinds; anything else is a talk.
KIND_BY_TYPE = {
    "welcome": AgendaItem.KIND_WELCOME,
    "opening": AgendaItem.KIND_WELCOME,
    "begrüßung": AgendaItem.KIND_WELCOME,
    "talk": AgendaItem.KIND_TALK,
    "lecture": AgendaItem.KIND_TALK,
    "vortrag": AgendaItem.KIND_TALK,
    "keynote": AgendaItem.KIND_TALK,
    "panel": AgendaItem.KIND_PANEL,
    "podium": AgendaItem.KIND_PANEL,
    "discussion": AgendaItem.KIND_PANEL,
    "break": AgendaItem.KIND_BREAK,
    "pause": AgendaItem.KIND_BREAK,
    "work": AgendaItem.KIND_WORK,
    "workshop": AgendaItem.KIND_WORK,
    "hands-on": AgendaItem.KIND_WORK,
    "meeting": AgendaItem.KIND_WORK,
    "breakout": AgendaItem.KIND_WORK,
    "presentation": AgendaItem.KIND_PRESENTATION,
    "lightning talk": AgendaItem.KIND_PRESENTATION,
    "end": AgendaItem.KIND_END,
    "closing": AgendaItem.KIND_END,
    "ende": AgendaItem.KIND_END,
}


class ImportFileError(Exception):
    """The file can't be imported; the message is for the organiser."""


@dataclass
class ParsedPerson:
    external_id: str
    name: str
    biography: str = ""
    links: list = field(default_factory=list)


@dataclass
class ParsedTalk:
    external_id: str
    start: datetime.datetime
    end: datetime.datetime | None
    title: str
    description: str
    kind: str
    room: str
    language: str
    persons: list = field(default_factory=list)  # external ids, in order


@dataclass
class ParsedSchedule:
    talks: list
    persons: dict  # external id (or "name:<name>") → ParsedPerson


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    speakers_created: int = 0
    speakers_updated: int = 0
    # Left out because the importing user may not change the speaker directory:
    speakers_not_added: int = 0
    speakers_not_updated: int = 0


# --- reading the document ----------------------------------------------------------------


def _object(value, where) -> dict:
    if not isinstance(value, dict):
        raise ImportFileError(
            _("This is not a frab or pretalx schedule: “{where}” is missing or not an object.").format(where=where)
        )
    return value


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _parse_moment(value, tz) -> datetime.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def _parse_duration(value) -> datetime.timedelta | None:
    parts = _text(value).split(":")
    if len(parts) not in (2, 3) or not all(p.isdigit() for p in parts):
        return None
    hours, minutes = int(parts[0]), int(parts[1])
    return datetime.timedelta(hours=hours, minutes=minutes)


def _links(value) -> list:
    links = []
    for link in value if isinstance(value, list) else []:
        url = _text(link.get("url")).strip() if isinstance(link, dict) else ""
        if url.startswith(("https://", "http://")) and len(url) <= 500:
            links.append({"label": plain_text(_text(link.get("title")))[:100], "url": url})
    return links


def _person(data) -> ParsedPerson | None:
    if not isinstance(data, dict):
        return None
    name = plain_text(_text(data.get("name")) or _text(data.get("public_name")))[:200]
    if not name:
        return None
    identity = data.get("guid") or data.get("code") or (f"id:{data['id']}" if data.get("id") else "")
    return ParsedPerson(
        external_id=str(identity)[:190] if identity else "",
        name=name,
        biography=_text(data.get("biography")),
        links=_links(data.get("links")),
    )


def _talk(data, day, tz, number) -> tuple[ParsedTalk, list]:
    title = plain_text(_text(data.get("title")))[:300]
    if not title:
        raise ImportFileError(_("Talk number {number} has no title.").format(number=number))
    start = _parse_moment(data.get("date"), tz)
    if start is None and isinstance(day.get("date"), str) and _text(data.get("start")):
        start = _parse_moment(f"{day['date']}T{data['start']}", tz)
    if start is None:
        raise ImportFileError(_("“{title}” has no valid date and start time.").format(title=title))
    end = _parse_moment(data.get("end"), tz)
    if end is None:
        duration = _parse_duration(data.get("duration"))
        end = start + duration if duration else None
    if end is not None and end <= start:
        end = None  # zero length: an open end like "20:00 End"
    identity = data.get("guid") or (f"id:{data['id']}" if data.get("id") else "") or data.get("slug")
    if not identity:
        identity = f"{start.isoformat()} {title}"
    parts = [_text(data.get("abstract")).strip(), _text(data.get("description")).strip()]
    description = "\n\n".join(dict.fromkeys(p for p in parts if p))
    persons = [p for p in (_person(person) for person in data.get("persons") or []) if p]
    talk = ParsedTalk(
        external_id=str(identity)[:190],
        start=start,
        end=end,
        title=title,
        description=description,
        kind=KIND_BY_TYPE.get(_text(data.get("type")).strip().lower(), AgendaItem.KIND_TALK),
        room=plain_text(_text(data.get("room")))[:200],
        language=_text(data.get("language")).strip().lower(),
    )
    return talk, persons


def parse_schedule(document) -> ParsedSchedule:
    """Check and map a frab/pretalx ``schedule.json`` document; raises ``ImportFileError``."""
    schedule = _object(_object(document, "schedule").get("schedule"), "schedule")
    conference = _object(schedule.get("conference"), "schedule.conference")
    days = conference.get("days")
    if not isinstance(days, list):
        raise ImportFileError(
            _("This is not a frab or pretalx schedule: “{where}” is missing or not a list.").format(
                where="schedule.conference.days"
            )
        )
    try:
        tz = zoneinfo.ZoneInfo(_text(conference.get("time_zone_name")) or "UTC")
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        tz = zoneinfo.ZoneInfo("UTC")

    raw_talks = []
    for day in days:
        rooms = _object(day, "schedule.conference.days[]").get("rooms") or {}
        for talks in _object(rooms, "rooms").values():
            if not isinstance(talks, list):
                raise ImportFileError(_("This is not a frab or pretalx schedule: a room's talks are not a list."))
            raw_talks += [(talk, day) for talk in talks]
            if len(raw_talks) > MAX_ITEMS:
                raise ImportFileError(
                    _("The schedule has more than {max} talks; at most {max} can be imported.").format(max=MAX_ITEMS)
                )

    parsed_talks, persons, seen = [], {}, set()
    for number, (data, day) in enumerate(raw_talks, start=1):
        talk, talk_persons = _talk(_object(data, "talk"), day, tz, number)
        if talk.external_id in seen:
            continue  # the same talk listed twice (e.g. in two rooms) is imported once
        seen.add(talk.external_id)
        for person in talk_persons:
            key = person.external_id or f"name:{person.name}"
            persons.setdefault(key, person)
            if key not in talk.persons:
                talk.persons.append(key)
        parsed_talks.append(talk)
    if not parsed_talks:
        raise ImportFileError(_("The schedule contains no talks."))
    parsed_talks.sort(key=lambda t: t.start)
    return ParsedSchedule(talks=parsed_talks, persons=persons)


# --- storing it --------------------------------------------------------------------------


def _uuid_or_none(value):
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _language(code, locales, default) -> str:
    for locale in locales:
        if code and (locale == code or locale.split("-")[0] == code.split("-")[0]):
            return locale
    return default


def _i18n(text, language):
    return LazyI18nString({language: text}) if text else LazyI18nString("")


def _merge_text(existing, text, language, render=plain_text):
    """``text`` as the new value, unless it is what ``existing`` reads as in a schedule file.

    Keeps the organiser's Markdown and other languages when our own export comes back.
    """
    if existing is not None and text and any(render(value) == text for value in _values(existing)):
        return existing
    return _i18n(text, language)


def _room(existing, text, language):
    """An item without a room is exported as "Online": importing that back keeps it without one."""
    if existing is not None and not _values(existing) and text in default_room_names():
        return existing
    return _merge_text(existing, text, language)


def _values(value) -> list:
    data = value.data if isinstance(value, LazyI18nString) else value
    return [v for v in (data.values() if isinstance(data, dict) else [data]) if v]


def default_room() -> str:
    """Where an item without a room takes place: the Innowerkstatt is an online format."""
    return _("Online")


def default_room_names() -> set:
    names = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names.add(default_room())
    return names


def _same(a, b) -> bool:
    def data(value):
        value = value.data if isinstance(value, LazyI18nString) else value
        if isinstance(value, dict):
            value = {k: v for k, v in value.items() if v}
        return value or None

    return data(a) == data(b)


def speaker_guid(speaker) -> str:
    """The guid a speaker has in our schedule files: the imported one if it was a UUID, else a stable one."""
    try:
        return str(uuid.UUID(speaker.external_id))
    except ValueError:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.SITE_URL}/innowerkstatt/speaker/{speaker.pk}"))


def _store_speakers(organizer, parsed: ParsedSchedule, language, result, may_change) -> dict:
    """The speaker for each person key; with ``may_change``, new ones added and matches updated."""
    by_name = {}
    for key, person in parsed.persons.items():
        by_name.setdefault(person.name, key)
    by_id, named = {}, {}
    # One query for the organiser's directory: a person is the speaker with their guid/code from an
    # earlier import or with the guid of our own export (another event's schedule.json), else the
    # speaker of that exact name who came without one (e.g. entered by hand; the id is kept then).
    for speaker in Speaker.objects.filter(organizer=organizer):
        for key in (speaker.external_id, speaker_guid(speaker)):
            if key:
                by_id.setdefault(key, speaker)
        if not speaker.external_id and speaker.name in by_name:
            named.setdefault(speaker.name, speaker)

    speakers, new, changed = {}, [], []
    for key, person in parsed.persons.items():
        speaker = by_id.get(key)
        by_name_only = speaker is None and person.name in named
        if by_name_only:
            speaker = named.pop(person.name)
        biography = _merge_text(speaker.biography if speaker else None, person.biography, language, markdown_text)
        values = {"name": person.name, "biography": biography, "links": person.links}
        if by_name_only and person.external_id:
            values["external_id"] = person.external_id
        if speaker is None:
            if not may_change:
                result.speakers_not_added += 1
                continue
            speaker = Speaker(organizer=organizer, external_id=person.external_id, **values)
            new.append(speaker)
        elif not all(_same(getattr(speaker, f), v) for f, v in values.items()):
            if not may_change:
                result.speakers_not_updated += 1
            else:
                for f, v in values.items():
                    setattr(speaker, f, v)
                speaker.updated = now()
                changed.append(speaker)
        speakers[key] = speaker
    Speaker.objects.bulk_create(new)
    Speaker.objects.bulk_update(changed, ["name", "biography", "links", "external_id", "updated"])
    result.speakers_created, result.speakers_updated = len(new), len(set(changed))
    return speakers


@transaction.atomic
def apply_schedule(
    event, subevent, parsed: ParsedSchedule, *, shift_to_start=False, may_change_speakers=True
) -> ImportResult:
    """Store ``parsed`` as the agenda of ``event`` (or of its date ``subevent``); all or nothing.

    ``may_change_speakers``: whether the importing user may change the organiser's speaker
    directory; without it, persons are only linked to the speakers they already match.
    """
    result = ImportResult()
    locales = event.settings.locales or [event.settings.locale]
    default = event.settings.locale
    speaker_language = _language(parsed.talks[0].language, locales, default)
    speakers = _store_speakers(event.organizer, parsed, speaker_language, result, may_change_speakers)

    shift = datetime.timedelta(0)
    if shift_to_start:
        shift = time_between(parsed.talks[0].start, (subevent or event).date_from)

    # A talk is an item again by its guid: the external id of an earlier import, or the uid of an
    # item of this agenda (re-importing our own schedule.json).
    ids = [t.external_id for t in parsed.talks]
    uids = [uid for uid in map(_uuid_or_none, ids) if uid]
    existing = {}
    for item in AgendaItem.objects.filter(event=event, subevent=subevent).filter(
        Q(external_id__in=ids) | Q(uid__in=uids)
    ):
        existing.setdefault(item.external_id, item)
        existing.setdefault(str(item.uid), item)
    old_roles = {
        (link.item_id, link.speaker_id): link.role
        for link in AgendaItemSpeaker.objects.filter(item__in=list(existing.values()))
    }
    new, changed, ordered = [], [], []
    for position, talk in enumerate(parsed.talks):
        language = _language(talk.language, locales, default)
        item = existing.get(talk.external_id)
        values = {
            "start": talk.start + shift,
            "end": talk.end + shift if talk.end else None,
            "title": _merge_text(item.title if item else None, talk.title, language),
            "description": _merge_text(item.description if item else None, talk.description, language, markdown_text),
            "kind": talk.kind,
            "room": _room(item.room if item else None, talk.room, language),
            "position": position,
        }
        if item is None:
            item = AgendaItem(event=event, subevent=subevent, external_id=talk.external_id, uid=uuid.uuid4(), **values)
            new.append(item)
        elif not all(_same(getattr(item, f), v) for f, v in values.items()):
            for f, v in values.items():
                setattr(item, f, v)
            bump_sequence(item)
            item.updated = now()
            changed.append(item)
        else:
            result.unchanged += 1
        ordered.append((item, talk))
    AgendaItem.objects.bulk_create(new)
    AgendaItem.objects.bulk_update(
        changed, ["start", "end", "title", "description", "kind", "room", "position", "sequence", "updated"]
    )
    result.created, result.updated = len(new), len(changed)

    AgendaItemSpeaker.objects.filter(item__in=[item for item, _talk in ordered]).delete()
    AgendaItemSpeaker.objects.bulk_create(
        AgendaItemSpeaker(
            item=item,
            speaker=speaker,
            role=old_roles.get((item.pk, speaker.pk), AgendaItemSpeaker.ROLE_SPEAKER),
            position=position,
        )
        for item, talk in ordered
        for position, speaker in enumerate(speakers[key] for key in talk.persons if key in speakers)
    )
    return result
