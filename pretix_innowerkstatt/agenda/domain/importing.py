"""Importing a frab or pretalx ``schedule.json``: reading, checking and mapping the file, planning, storing.

``read_schedule`` turns the uploaded bytes into plain data (or refuses them with a message for
the organiser: ``ImportFileError``, never another exception); ``plan_schedule`` works out what
an import would add and change without writing anything (the preview shows it);
``apply_schedule`` stores it as agenda items and speakers in one transaction, holding the
organiser's import lock, and reports it through the agenda's one write path
(``editing.agenda_changed``: one log line, sequence, caches, PDF tickets).

Decisions:

- Times stay the absolute times of the file (a talk at 09:00+01:00 is stored as that moment);
  ``shift_to_start`` moves the whole schedule so that its first talk starts when the event or
  date starts. Only years 1970 to 2200 and talks of at most seven days are accepted.
- A talk is the same item again when its ``guid`` (else ``id``/``slug``) matches the
  ``external_id`` (or, for our own export, the ``uid``) of an item of the same event and date.
  Matches are updated, never duplicated; items missing from a newer file are kept.
- A person is the same speaker when their ``guid`` (else pretalx ``code``, else frab ``id``)
  matches a speaker of the organiser (an earlier import, or the guid of our own export). Such a
  speaker is updated with what the file provides, and only that: a biography replaces the text
  of its language only (the other languages stay), links are added to the speaker's links, and
  a missing or empty biography or list of links changes nothing. A person matched only by
  exact name, among speakers that came without an id (e.g. entered by hand), is linked to the
  talk but never changed: the same name in someone else's pretalx is not proof of the same
  person, and the directory is shared by every event of the organiser.
- Text: plain fields (title, room, name) are stripped of markup; abstracts, descriptions and
  biographies are stored as Markdown and, like everything organisers type, sanitised when shown.
  Each text goes into the talk's language if the event uses it, else the event's default
  language; the same length limits as in the editor and the API apply (``limits``).
- The speaker directory belongs to the organiser: whoever may not change it
  (``may_change_speakers=False``) still imports the items, but persons are only linked to the
  speakers they match, which stay as they are; persons not in the directory are not added. The
  result counts both, so the organiser is told what was left out.
"""

import datetime
import json
import uuid
import zoneinfo
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import translation
from django.utils.timezone import now
from django.utils.translation import gettext as _
from i18nfield.strings import LazyI18nString

from .. import logtypes
from ..models import AgendaItem, AgendaItemSpeaker, Speaker
from . import limits
from .editing import agenda_changed
from .plaintext import markdown_text, plain_text
from .revisions import bump_sequence
from .shifting import time_between
from .speaker_links import clean_links

MAX_FILE_SIZE = 5 * 1024 * 1024
MAX_ITEMS = 2000
MAX_DURATION = datetime.timedelta(days=7)
YEARS = (1970, 2200)

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
    biography: str = ""  # empty: the file says nothing about it
    links: list = field(default_factory=list)
    language: str = ""  # of the first talk that lists the person


@dataclass
class ParsedTalk:
    external_id: str
    start: datetime.datetime
    end: datetime.datetime | None
    title: str
    description: str  # empty: the file says nothing about it
    kind: str | None  # None: no type the importer knows
    room: str
    language: str
    persons: list | None = None  # person keys in order; None: the talk does not list persons


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
    # Linked to their talks, but left as they are: matched by name only.
    speakers_linked_by_name: int = 0
    # Left out because the importing user may not change the speaker directory:
    speakers_not_added: int = 0
    speakers_not_updated: int = 0


@dataclass
class SpeakerChange:
    """A speaker of the directory as the import would change them, and what would change."""

    speaker: Speaker
    changes: list  # readable: "name", "biography (English)", "2 links added"


@dataclass
class ImportPlan:
    """What ``apply_schedule`` would write; built without writing anything."""

    result: ImportResult
    new_speakers: list = field(default_factory=list)
    changed_speakers: list = field(default_factory=list)  # SpeakerChange
    speakers_linked_by_name: list = field(default_factory=list)  # Speaker, left unchanged
    speakers: dict = field(default_factory=dict)  # person key → Speaker
    new_items: list = field(default_factory=list)
    changed_items: list = field(default_factory=list)
    items: list = field(default_factory=list)  # (item, talk) in file order


# --- reading the document ----------------------------------------------------------------


def read_schedule(raw: bytes) -> ParsedSchedule:
    """The bytes of an uploaded ``schedule.json``, checked and mapped; raises ``ImportFileError`` only."""
    if len(raw) > MAX_FILE_SIZE:
        raise ImportFileError(_("The file is larger than 5 MB."))
    try:
        document = json.loads(raw.decode("utf-8-sig"), parse_constant=_no_constant)
    except RecursionError:
        raise ImportFileError(_("The file is not a schedule: its data is nested too deeply."))
    except (UnicodeDecodeError, ValueError) as e:
        raise ImportFileError(_("The file is not valid JSON: {error}").format(error=str(e)[:200]))
    return parse_schedule(document)


def _no_constant(name):
    # NaN and Infinity are not JSON (Python's reader accepts them, and some libraries change how).
    raise ValueError(f"{name} is not a JSON value")


def _check_characters(document) -> None:
    """Refuse text that no database stores: NUL characters and unpaired surrogates (``"\\ud800"``)."""
    try:
        text = json.dumps(document, ensure_ascii=False)
        text.encode("utf-8")
    except RecursionError:
        raise ImportFileError(_("The file is not a schedule: its data is nested too deeply."))
    except (UnicodeEncodeError, TypeError, ValueError):
        text = None
    if text is None or "\\u0000" in text:
        raise ImportFileError(_("The file contains characters that are not text (such as NUL)."))


def _object(value, where) -> dict:
    if not isinstance(value, dict):
        raise ImportFileError(
            _("This is not a frab or pretalx schedule: “{where}” is missing or not an object.").format(where=where)
        )
    return value


def _list(value, where) -> list:
    if not isinstance(value, list):
        raise ImportFileError(
            _("This is not a frab or pretalx schedule: “{where}” is missing or not a list.").format(where=where)
        )
    return value


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _identity(data, *keys) -> str:
    """The first usable id of ``data`` under ``keys`` (text or number; anything else is no id).

    ``"id"`` (frab's number, only unique within one file's kind) is written as ``id:<number>``.
    """
    for key in keys:
        value = data.get(key)
        if isinstance(value, bool) or not isinstance(value, str | int) or value in ("", 0):
            continue
        return f"{'id:' if key == 'id' else ''}{value}"[:190]
    return ""


def _within_limit(text, limit, what) -> str:
    try:
        limits.I18nMaxLengthValidator(limit)(text)
    except ValidationError as e:
        raise ImportFileError(f"{what}: {' '.join(e.messages)}")
    return text


def _parse_moment(value, tz) -> datetime.datetime | None:
    if not isinstance(value, str) or not value or len(value) > 64:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def _parse_duration(value) -> datetime.timedelta | None:
    """``"HH:MM"`` (or ``"HH:MM:SS"``); None when it is no duration; longer than ``MAX_DURATION``: a day more."""
    parts = _text(value).split(":")
    if len(parts) not in (2, 3) or not all(p.isascii() and p.isdigit() and len(p) <= 20 for p in parts):
        return None
    minutes = int(parts[0]) * 60 + int(parts[1])
    # Compared as a number first: timedelta and datetime overflow far below 20 digits.
    return datetime.timedelta(minutes=min(minutes, MAX_DURATION // datetime.timedelta(minutes=1) + 24 * 60))


def _person(data, where) -> ParsedPerson | None:
    if not isinstance(data, dict):
        return None
    name = plain_text(_text(data.get("name")) or _text(data.get("public_name")))
    if not name:
        return None
    return ParsedPerson(
        external_id=_identity(data, "guid", "code", "id"),
        name=_within_limit(name, limits.NAME, _("{where}, speaker “{name}”").format(where=where, name=name[:60])),
        biography=_within_limit(
            _text(data.get("biography")).strip(),
            limits.BIOGRAPHY,
            _("{where}, biography of “{name}”").format(where=where, name=name[:60]),
        ),
        links=clean_links(data.get("links"), label_key="title"),
    )


def _talk(data, day, tz, number) -> tuple[ParsedTalk, list | None]:
    title = plain_text(_text(data.get("title")))
    if not title:
        raise ImportFileError(_("Talk number {number} has no title.").format(number=number))
    where = _("Talk number {number} (“{title}”)").format(number=number, title=title[:60])
    _within_limit(title, limits.TITLE, where)
    start = _parse_moment(data.get("date"), tz)
    if start is None and isinstance(day.get("date"), str) and _text(data.get("start")):
        start = _parse_moment(f"{day['date']}T{data['start']}", tz)
    if start is None:
        raise ImportFileError(_("“{title}” has no valid date and start time.").format(title=title[:60]))
    if not YEARS[0] <= start.year <= YEARS[1]:
        raise ImportFileError(
            _("“{title}” starts in the year {year}; only years {first} to {last} can be imported.").format(
                title=title[:60], year=start.year, first=YEARS[0], last=YEARS[1]
            )
        )
    end = _parse_moment(data.get("end"), tz)
    if end is None:
        duration = _parse_duration(data.get("duration"))
        end = start + duration if duration else None
    if end is not None and end - start > MAX_DURATION:
        raise ImportFileError(_("“{title}” is longer than seven days.").format(title=title[:60]))
    if end is not None and end <= start:
        end = None  # zero length: an open end like "20:00 End"
    identity = _identity(data, "guid", "id", "slug")
    parts = [_text(data.get("abstract")).strip(), _text(data.get("description")).strip()]
    raw_persons = data.get("persons")
    if raw_persons is not None:
        raw_persons = [p for p in (_person(person, where) for person in _list(raw_persons, "persons")) if p]
    talk = ParsedTalk(
        external_id=identity or f"{start.isoformat()} {title}"[:190],
        start=start,
        end=end,
        title=title,
        description=_within_limit("\n\n".join(dict.fromkeys(p for p in parts if p)), limits.DESCRIPTION, where),
        kind=KIND_BY_TYPE.get(_text(data.get("type")).strip().lower()),
        room=_within_limit(plain_text(_text(data.get("room"))), limits.ROOM, where),
        language=_text(data.get("language")).strip().lower()[:20],
    )
    return talk, raw_persons


def _timezone(name) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name if isinstance(name, str) and 0 < len(name) < 100 else "UTC")
    except (ValueError, OSError, zoneinfo.ZoneInfoNotFoundError):
        return zoneinfo.ZoneInfo("UTC")


def parse_schedule(document) -> ParsedSchedule:
    """Check and map a frab/pretalx ``schedule.json`` document; raises ``ImportFileError`` only."""
    _check_characters(document)
    schedule = _object(_object(document, "schedule").get("schedule"), "schedule")
    conference = _object(schedule.get("conference"), "schedule.conference")
    days = _list(conference.get("days"), "schedule.conference.days")
    tz = _timezone(conference.get("time_zone_name"))

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
        if talk_persons is not None:
            talk.persons = []
            for person in talk_persons:
                key = person.external_id or f"name:{person.name}"
                person.language = talk.language
                persons.setdefault(key, person)
                if key not in talk.persons:
                    talk.persons.append(key)
        parsed_talks.append(talk)
    if not parsed_talks:
        raise ImportFileError(_("The schedule contains no talks."))
    parsed_talks.sort(key=lambda t: t.start)
    return ParsedSchedule(talks=parsed_talks, persons=persons)


# --- planning and storing ----------------------------------------------------------------


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


def _values(value) -> list:
    data = value.data if isinstance(value, LazyI18nString) else value
    return [v for v in (data.values() if isinstance(data, dict) else [data]) if v]


def _merge_text(existing, text, language, default, render=plain_text):
    """``existing`` with ``text`` as its ``language`` version, every other language kept.

    Unchanged when ``text`` is empty (the file says nothing) or is what ``existing`` already
    reads as in a schedule file (our own export coming back keeps the organiser's Markdown).
    """
    if not text:
        return existing if existing is not None else LazyI18nString("")
    if existing is not None and any(render(value) == text for value in _values(existing)):
        return existing
    data = existing.data if isinstance(existing, LazyI18nString) else existing
    if isinstance(data, dict):
        merged = {code: value for code, value in data.items() if value}
    else:
        merged = {default: data} if data else {}
    merged[language] = text
    return LazyI18nString(merged)


def _room(existing, text, language, default):
    """An item without a room is exported as "Online": importing that back keeps it without one."""
    if existing is not None and not _values(existing) and text in default_room_names():
        return existing
    return _merge_text(existing, text, language, default)


def _merge_links(existing, links) -> list:
    """``existing`` links with those of ``links`` whose address is new added at the end."""
    known = {link.get("url") for link in existing or [] if isinstance(link, dict)}
    return list(existing or []) + [link for link in links if link["url"] not in known]


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


def _changed_languages(old, new) -> list:
    def data(value):
        value = value.data if isinstance(value, LazyI18nString) else value
        return value if isinstance(value, dict) else {"": value} if value else {}

    old, new = data(old), data(new)
    return [code for code in new if new[code] != old.get(code)]


def _language_name(code) -> str:
    return str(dict(settings.LANGUAGES).get(code, code)) if code else _("all languages")


def speaker_guid(speaker) -> str:
    """The guid a speaker has in our schedule files: the imported one if it was a UUID, else a stable one."""
    try:
        return str(uuid.UUID(speaker.external_id))
    except ValueError:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.SITE_URL}/innowerkstatt/speaker/{speaker.pk}"))


def _plan_speakers(organizer, parsed: ParsedSchedule, locales, default, plan, may_change) -> None:
    result = plan.result
    names = {person.name for person in parsed.persons.values()}
    by_id, named = {}, {}
    # One query for the organiser's directory: a person is the speaker with their guid/code from an
    # earlier import or with the guid of our own export (another event's schedule.json), else the
    # speaker of that exact name who came without one (e.g. entered by hand), who is then linked only.
    for speaker in Speaker.objects.filter(organizer=organizer):
        for key in (speaker.external_id, speaker_guid(speaker)):
            if key:
                by_id.setdefault(key, speaker)
        if not speaker.external_id and speaker.name in names:
            named.setdefault(speaker.name, speaker)

    for key, person in parsed.persons.items():
        speaker = by_id.get(key)
        if speaker is None and person.name in named:
            speaker = named[person.name]
            plan.speakers[key] = speaker
            if speaker not in plan.speakers_linked_by_name:
                plan.speakers_linked_by_name.append(speaker)
            continue
        language = _language(person.language, locales, default)
        biography = _merge_text(
            speaker.biography if speaker else None, person.biography, language, default, markdown_text
        )
        if speaker is None:
            if not may_change:
                result.speakers_not_added += 1
                continue
            speaker = Speaker(
                organizer=organizer,
                external_id=person.external_id,
                name=person.name,
                biography=biography,
                links=person.links,
            )
            plan.new_speakers.append(speaker)
        else:
            links = _merge_links(speaker.links, person.links)
            changes = []
            if speaker.name != person.name:
                changes.append(_("new name"))
            changes += [
                _("biography ({language})").format(language=_language_name(code))
                for code in _changed_languages(speaker.biography, biography)
            ]
            if len(links) > len(speaker.links or []):
                changes.append(_("{count} links added").format(count=len(links) - len(speaker.links or [])))
            if changes and not may_change:
                result.speakers_not_updated += 1
            elif changes:
                speaker.name, speaker.biography, speaker.links = person.name, biography, links
                speaker.updated = now()
                earlier = next((c for c in plan.changed_speakers if c.speaker is speaker), None)
                if earlier is None:
                    plan.changed_speakers.append(SpeakerChange(speaker, changes))
                else:  # listed twice in the file (e.g. by guid and by code)
                    earlier.changes += [change for change in changes if change not in earlier.changes]
        plan.speakers[key] = speaker
    result.speakers_created = len(plan.new_speakers)
    result.speakers_updated = len(plan.changed_speakers)
    result.speakers_linked_by_name = len(plan.speakers_linked_by_name)


def plan_schedule(event, subevent, parsed: ParsedSchedule, *, shift_to_start=False, may_change_speakers=True):
    """What importing ``parsed`` into ``event`` (or its date ``subevent``) would do; writes nothing.

    The speakers and items it returns carry their new values, unsaved.
    """
    plan = ImportPlan(result=ImportResult())
    result = plan.result
    locales = event.settings.locales or [event.settings.locale]
    default = event.settings.locale
    _plan_speakers(event.organizer, parsed, locales, default, plan, may_change_speakers)

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
    current_speakers = {}
    for link in AgendaItemSpeaker.objects.filter(item__in=list(existing.values())).order_by("position", "id"):
        current_speakers.setdefault(link.item_id, []).append(link.speaker_id)
    # Our own schedule.json of another edition: its per-edition items (presentation slots) stay there.
    elsewhere = {
        str(uid)
        for uid in AgendaItem.objects.filter(event__organizer=event.organizer, per_edition=True, uid__in=uids)
        .exclude(event=event, subevent=subevent)
        .values_list("uid", flat=True)
    }
    for position, talk in enumerate(parsed.talks):
        if str(_uuid_or_none(talk.external_id)) in elsewhere:
            continue
        language = _language(talk.language, locales, default)
        item = existing.get(talk.external_id)
        values = {
            "start": talk.start + shift,
            "end": talk.end + shift if talk.end else None,
            "title": _merge_text(item.title if item else None, talk.title, language, default),
            "description": _merge_text(
                item.description if item else None, talk.description, language, default, markdown_text
            ),
            "kind": talk.kind or (item.kind if item else AgendaItem.KIND_TALK),
            "room": _room(item.room if item else None, talk.room, language, default),
            "position": position,
        }
        if item is None:
            item = AgendaItem(event=event, subevent=subevent, external_id=talk.external_id, uid=uuid.uuid4(), **values)
            plan.new_items.append(item)
        elif not all(_same(getattr(item, f), v) for f, v in values.items()) or _speakers_change(
            plan, talk, current_speakers.get(item.pk, [])
        ):
            for f, v in values.items():
                setattr(item, f, v)
            bump_sequence(item)  # calendars update the entry
            item.updated = now()
            plan.changed_items.append(item)
        else:
            result.unchanged += 1
        plan.items.append((item, talk))
    result.created, result.updated = len(plan.new_items), len(plan.changed_items)
    return plan


def _talk_speakers(plan, talk) -> list:
    """The speakers of ``talk`` in the file's order, each once (two persons may match one speaker)."""
    speakers, seen = [], set()
    for key in talk.persons or []:
        speaker = plan.speakers.get(key)
        if speaker is not None and id(speaker) not in seen:  # new speakers have no pk to compare yet
            seen.add(id(speaker))
            speakers.append(speaker)
    return speakers


def _speakers_change(plan, talk, current_ids) -> bool:
    if talk.persons is None:
        return False
    return [speaker.pk for speaker in _talk_speakers(plan, talk)] != current_ids


def _lock_imports(organizer) -> None:
    """Imports of one organiser run one after another (the speaker directory is the organiser's).

    ``FOR NO KEY UPDATE`` on the organiser's row: a second import waits here until the first has
    committed, then sees its items and speakers, so it updates them instead of adding them again.
    It does not block rows that merely refer to the organiser. A no-op on SQLite, which
    serialises writers anyway.
    """
    from pretix.base.models import Organizer

    Organizer.objects.select_for_update(no_key=True).filter(pk=organizer.pk).values_list("pk").first()


def _events_showing(speakers) -> list:
    from pretix.base.models import Event

    return list(Event.objects.filter(innowerkstatt_agenda_items__speaker_links__speaker__in=speakers).distinct())


def apply_schedule(
    event,
    subevent,
    parsed: ParsedSchedule,
    *,
    shift_to_start=False,
    may_change_speakers=True,
    user=None,
    auth=None,
    log_data=None,
) -> ImportResult:
    """Store ``parsed`` as the agenda of ``event`` (or of its date ``subevent``); all or nothing.

    ``may_change_speakers``: whether the importing user may change the organiser's speaker
    directory; without it, persons are only linked to the speakers they already match.
    ``log_data`` adds to the data of the import's one log line (e.g. the file name).
    """
    try:
        with transaction.atomic():
            _lock_imports(event.organizer)
            plan = plan_schedule(
                event, subevent, parsed, shift_to_start=shift_to_start, may_change_speakers=may_change_speakers
            )
            _store(plan)
            result = plan.result
            agenda_changed(
                event,
                subevent,
                user=user,
                auth=auth,
                action_type=logtypes.IMPORTED,
                data={
                    **(log_data or {}),
                    "subevent": subevent.pk if subevent else None,
                    "shift_to_start": shift_to_start,
                    **vars(result),
                },
            )
            # A changed name or biography shows in every agenda the speaker is part of.
            for other in _events_showing([change.speaker for change in plan.changed_speakers]):
                if other.pk != event.pk:
                    agenda_changed(other)
    except IntegrityError:
        # Only when something else added the same talk or person in the very same moment.
        raise ImportFileError(_("The agenda was changed at the same time. Please import the file again."))
    return result


def _store(plan: ImportPlan) -> None:
    Speaker.objects.bulk_create(plan.new_speakers)
    Speaker.objects.bulk_update(
        [change.speaker for change in plan.changed_speakers], ["name", "biography", "links", "updated"]
    )
    AgendaItem.objects.bulk_create(plan.new_items)
    AgendaItem.objects.bulk_update(
        plan.changed_items,
        ["start", "end", "title", "description", "kind", "room", "position", "sequence", "updated"],
    )
    # The speakers of each talk that lists them, in the file's order; roles set by the organiser are kept.
    relinked = [(item, talk) for item, talk in plan.items if talk.persons is not None]
    old_roles = {
        (link.item_id, link.speaker_id): link.role
        for link in AgendaItemSpeaker.objects.filter(item__in=[item for item, _talk in relinked])
    }
    AgendaItemSpeaker.objects.filter(item__in=[item for item, _talk in relinked]).delete()
    AgendaItemSpeaker.objects.bulk_create(
        AgendaItemSpeaker(
            item=item,
            speaker=speaker,
            role=old_roles.get((item.pk, speaker.pk), AgendaItemSpeaker.ROLE_SPEAKER),
            position=position,
        )
        for item, talk in relinked
        for position, speaker in enumerate(_talk_speakers(plan, talk))
    )
