"""Plausibility of an agenda: items outside the event's or date's time, overlapping items.

Both are allowed (organisers sometimes run parallel breakouts or start early) but shown to the
organiser; an end before the start is refused by the forms.
"""

from dataclasses import dataclass, field


@dataclass
class ItemFlags:
    outside: bool = False
    overlaps_with: list = field(default_factory=list)

    @property
    def overlaps(self) -> bool:
        return bool(self.overlaps_with)


def _span(item):
    # An open-ended item (“20:00 End”) occupies just its start.
    return item.start, item.end or item.start


def is_outside(item, window_start, window_end=None) -> bool:
    start, end = _span(item)
    return start < window_start or (window_end is not None and end > window_end)


def overlap(a, b) -> bool:
    a_start, a_end = _span(a)
    b_start, b_end = _span(b)
    return a_start == b_start or (a_start < b_end and b_start < a_end)


def check_items(items, window_start, window_end=None) -> dict:
    """``{id(item): ItemFlags}`` for ``items`` within the window of the event or date."""
    ordered = sorted(items, key=lambda i: i.start)
    flags = {id(item): ItemFlags(outside=is_outside(item, window_start, window_end)) for item in ordered}
    for index, item in enumerate(ordered):
        for other in ordered[index + 1 :]:
            if other.start > (item.end or item.start):
                break  # sorted by start: no later item can overlap this one
            if overlap(item, other):
                flags[id(item)].overlaps_with.append(other)
                flags[id(other)].overlaps_with.append(item)
    return flags


def agendas_outside(event) -> list:
    """``[(subevent or None, count, minutes), …]``: agendas of ``event`` with items outside its or the date's time.

    ``minutes`` is the move that puts the agenda's first item at the start of the event or date
    (what the agenda page offers). One query; agendas are short.
    """
    from ..models import AgendaItem
    from .shifting import time_between

    agendas = {}
    for item in AgendaItem.objects.filter(event=event).select_related("subevent").order_by("start"):
        agendas.setdefault(item.subevent, []).append(item)
    found = []
    for subevent, items in agendas.items():
        if subevent is None and event.has_subevents:
            continue  # the series' agenda is laid out on each date that has none of its own
        window = subevent or event
        outside = sum(is_outside(item, window.date_from, window.date_to) for item in items)
        if outside:
            minutes = round(time_between(items[0].start, window.date_from).total_seconds() / 60)
            found.append((subevent, outside, minutes))
    return found
