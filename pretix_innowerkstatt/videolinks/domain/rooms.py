"""Rooms besides the main meeting, chosen at click time: the hook other capabilities fill.

Video links know one meeting per ticket (the event's, or a date's or product's override). Other
capabilities may send a ticket or a host elsewhere for a while – the work-phase groups send each
member into their group's room during the work phase. They register here; videolinks never
imports them.

* ``register_room_resolver(fn)``: ``fn(event, who, at, meeting) -> Room | None``. ``who`` is the
  attendee's ``OrderPosition`` (``order.event``, ``item`` and ``subevent`` loaded, as on the join
  POST) or, for a host link, the agenda's ``Speaker``; ``meeting`` the ``MeetingConfig`` that
  applies otherwise. ``None``: the usual meeting. The first resolver with an answer wins. A
  resolver runs on every join POST: it must cost no query outside its own time window and at
  most one inside it.
* ``register_room_note(fn)``: ``fn(event, position) -> [str]``, lines the join block of ticket
  mails and reminders adds for the ticket (e.g. "Your group in the work phase: Challenge 1").

``MeetingConfig.redirect_url`` and the host link consult the resolvers, so the join POST (both
its routes), the backend's test join and host links all lead into the same room. The join page
names the room while it applies (``Room.title``). A room's meeting is as secret as the main one:
providers build its URL only at click time.

``sub_room`` builds a room's ``MeetingConfig`` from the main one for each provider: the generic
provider gets the room's own URL; Jitsi the room's own name; BigBlueButton its own meeting ID
(a separate meeting on the same server, created on the first join like the main one – not a
breakout, see docs/workgroups.md). Without an explicit name the room's name is derived from the
main meeting's name and the room's key under ``SECRET_KEY``: stable, and not guessable from
the main room's name.
"""

import dataclasses
import hashlib
import hmac
import logging
from urllib.parse import urlsplit

from django.conf import settings

logger = logging.getLogger("pretix_innowerkstatt.videolinks")

_resolvers = []
_notes = []


@dataclasses.dataclass(frozen=True)
class Room:
    meeting: object  # the MeetingConfig the provider builds the redirect from
    title: str  # what the join page shows while the room applies, e.g. "Join your group: Challenge 1"


def register_room_resolver(fn):
    if fn not in _resolvers:
        _resolvers.append(fn)
    return fn


def register_room_note(fn):
    if fn not in _notes:
        _notes.append(fn)
    return fn


def room_for(event, who, at, meeting):
    """The room ``who`` joins at ``at`` instead of ``meeting``, or None (the usual meeting).

    A resolver that fails (a database hiccup) must not keep anybody out: the usual meeting then.
    """
    for resolve in _resolvers:
        try:
            room = resolve(event, who, at, meeting)
        except Exception:
            logger.exception("Room resolver %s failed; the main meeting is used", getattr(resolve, "__name__", ""))
            continue
        if room is not None:
            return room
    return None


def meeting_at(event, who, at, meeting):
    """The ``MeetingConfig`` ``who`` is sent into at ``at``: a room's, or ``meeting`` itself."""
    room = room_for(event, who, at, meeting) if _resolvers else None
    return room.meeting if room is not None else meeting


def notes(event, position) -> list[str]:
    lines = []
    for note in _notes:
        try:
            lines.extend(line for line in note(event, position) if line)
        except Exception:
            logger.exception("Room note %s failed", getattr(note, "__name__", ""))
    return lines


def _digest(main: str, key: str, length: int = 12) -> str:
    message = f"innowerkstatt-room|{main}|{key}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:length]


def _main_name(kind: str, explicit: str, event, dated) -> str:
    if explicit.strip():
        return explicit.strip()
    from ..providers.base import Participant, derived_name

    who = Participant(name="", email="", user_id="", moderator=False, event=event, dated=dated)
    return derived_name(kind, who)


def sub_room(meeting, *, event, dated, key: str, name: str = "", url: str = "", welcome: str = ""):
    """``meeting`` turned into a room of its own, or None where the provider cannot have one.

    ``key``: stable and unique per room (e.g. ``"group-12"``), for derived names. ``name``: the
    room's Jitsi room or BigBlueButton meeting ID if the organiser set one. ``url``: the room's
    URL for the generic provider (empty: no room of its own, the main meeting is used).
    ``welcome``: BigBlueButton's welcome text of the room's meeting (shown in its chat).
    ``dated``: the date (subevent, or the event) the main meeting's derived name belongs to.
    """
    provider_settings = dict(meeting.provider_settings)
    if meeting.provider == "jitsi":
        main = _main_name("jitsi", provider_settings.get("room") or "", event, dated)
        provider_settings["room"] = name.strip() or f"{main}-{_digest(main, key)}"
        return dataclasses.replace(meeting, provider_settings=provider_settings)
    if meeting.provider == "bigbluebutton":
        main = _main_name("bbb", provider_settings.get("meeting_id") or "", event, dated)
        provider_settings["meeting_id"] = name.strip() or f"{main}-{_digest(main, key)}"
        if welcome:
            provider_settings["welcome"] = welcome
        return dataclasses.replace(meeting, provider_settings=provider_settings)
    if urlsplit(url.strip()).scheme.lower() not in ("http", "https"):
        # No URL (or one stored before validation, e.g. "javascript:"): the main meeting.
        return None
    # The generic provider: the room's URL for attendees and hosts alike (the main meeting's
    # separate host URL belongs to the main meeting). The main meeting's ID and passcode do not
    # apply to another room.
    provider_settings["host_url"] = ""
    return dataclasses.replace(
        meeting, join_url=url.strip(), meeting_id="", passcode="", provider_settings=provider_settings
    )
