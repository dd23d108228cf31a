"""Which agenda items belong to an event or to one date of a series."""

import copy as _copy
import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from i18nfield.strings import LazyI18nString

from ..models import AgendaItem, AgendaItemSpeaker
from .shifting import time_between


def with_speakers(queryset):
    """``queryset`` of agenda items with their speaker links (in order) and speakers prefetched.

    Two queries in all, however many items and speakers: items, then speaker links with speakers.
    """
    return queryset.prefetch_related(
        Prefetch("speaker_links", queryset=AgendaItemSpeaker.objects.select_related("speaker"))
    )


def shown_on_date(event, subevent, own, shared) -> tuple[list, datetime.timedelta]:
    """Which items the event or one date of it shows, and how far they move: the one rule for it.

    ``own()`` fetches the date's own items, ``shared()`` the event's (those without a date). A
    date shows its own items if it has any; otherwise the event's agenda, moved from the event's
    start to the date's ("18:10" stays ten minutes after the start, as ``copy_agenda`` copies
    it). The event itself (``subevent`` None) shows its own agenda as it is.
    """
    if subevent is None:
        return shared(), datetime.timedelta(0)
    items = own()
    if items:
        return items, datetime.timedelta(0)
    items = shared()
    return items, time_between(event.date_from, subevent.date_from) if items else datetime.timedelta(0)


def _shown(event, subevent, fetch) -> tuple[list, datetime.timedelta]:
    items = AgendaItem.objects.filter(event=event)
    return shown_on_date(
        event,
        subevent,
        lambda: fetch(items.filter(subevent=subevent)),
        lambda: fetch(items.filter(subevent__isnull=True)),
    )


def _fetch_with_speakers(queryset) -> list:
    return list(with_speakers(queryset))


def agenda_items(event, subevent=None) -> list[AgendaItem]:
    """The agenda shown for ``event`` or for one ``subevent`` of it, ordered by time.

    A date without agenda items of its own shows the event's agenda (the items with no date).
    """
    return _shown(event, subevent, _fetch_with_speakers)[0]


def speakers_of(items) -> list:
    """Distinct speakers of ``items`` in order of first appearance (uses the prefetched links)."""
    seen, result = set(), []
    for item in items:
        for link in item.speaker_links.all():
            if link.speaker_id not in seen:
                seen.add(link.speaker_id)
                result.append(link.speaker)
    return result


def dated_agenda_items(event, subevent=None) -> list[AgendaItem]:
    """``agenda_items``, with the event's agenda moved to the date's start where a date falls back to it.

    A series' own agenda is entered for the event's start; a date that shows it shows the same
    running order relative to its own start ("18:10, ten minutes after the start"), as
    ``copy_agenda`` would copy it. The returned items are unsaved copies then; speakers stay prefetched.
    """
    items, shift = _shown(event, subevent, _fetch_with_speakers)
    if not shift:
        return items
    moved = []
    for item in items:
        copy = _copy.copy(item)
        copy.start = item.start + shift
        copy.end = item.end + shift if item.end else None
        moved.append(copy)
    return moved


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    role: LazyI18nString


@dataclass(frozen=True)
class OutlineItem:
    """An agenda item as one line shows it: start, title and its people in order."""

    start: datetime.datetime
    title: LazyI18nString
    people: tuple  # of Person


def _outline_rows(queryset) -> list:
    return list(
        queryset.order_by("start", "position", "id", "speaker_links__position", "speaker_links__id").values_list(
            "id",
            "start",
            "title",
            "speaker_links__speaker_id",
            "speaker_links__speaker__name",
            "speaker_links__speaker__role",
        )
    )


def agenda_outline(event, subevent=None) -> list[OutlineItem]:
    """``dated_agenda_items`` reduced to start, title and people: for the one-line-per-item forms.

    One query of plain rows (an item with its people joined in) instead of model instances for
    items, links and speakers: mails, calendar descriptions and tickets render it for every order.
    """
    rows, shift = _shown(event, subevent, _outline_rows)
    outline, people, current = [], [], None
    for item_id, start, title, speaker_id, name, role in rows:
        if item_id != current:
            people = []
            outline.append((start + shift, title, people))
            current = item_id
        if speaker_id is not None:
            people.append(Person(speaker_id, name, role))
    return [OutlineItem(start, title, tuple(people)) for start, title, people in outline]


def people_of(outline) -> list[Person]:
    """Distinct people of an outline in order of first appearance."""
    return list({person.id: person for item in outline for person in item.people}.values())
