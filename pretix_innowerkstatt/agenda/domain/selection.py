"""Which agenda items belong to an event or to one date of a series."""

import copy as _copy
import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from i18nfield.strings import LazyI18nString

from ..models import AgendaItem, AgendaItemSpeaker
from .shifting import time_between


def _with_speakers(queryset):
    # Two queries in all, however many items and speakers: items, then speaker links with speakers.
    return queryset.prefetch_related(
        Prefetch("speaker_links", queryset=AgendaItemSpeaker.objects.select_related("speaker"))
    )


def _own_or_series(event, subevent, fetch) -> tuple[list, bool]:
    """``fetch(queryset)`` of the date's own items, else of the event's; and whether it fell back to those."""
    items = AgendaItem.objects.filter(event=event)
    if subevent is not None:
        own = fetch(items.filter(subevent=subevent))
        if own:
            return own, False
    return fetch(items.filter(subevent__isnull=True)), subevent is not None


def _fallback_shift(event, subevent, falls_back) -> datetime.timedelta:
    """How far the event's agenda moves on a date that shows it (see ``dated_agenda_items``)."""
    return time_between(event.date_from, subevent.date_from) if falls_back else datetime.timedelta(0)


def agenda_items(event, subevent=None) -> list[AgendaItem]:
    """The agenda shown for ``event`` or for one ``subevent`` of it, ordered by time.

    A date without agenda items of its own shows the event's agenda (the items with no date).
    """
    return _own_or_series(event, subevent, lambda queryset: list(_with_speakers(queryset)))[0]


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
    items, falls_back = _own_or_series(event, subevent, lambda queryset: list(_with_speakers(queryset)))
    shift = _fallback_shift(event, subevent, falls_back and bool(items))
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
    rows, falls_back = _own_or_series(event, subevent, _outline_rows)
    shift = _fallback_shift(event, subevent, falls_back and bool(rows))
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
