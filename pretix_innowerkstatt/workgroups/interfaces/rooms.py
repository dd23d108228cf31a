"""At the work phase the join link leads into the ticket's group room (videolinks' room hook).

From ``ROOM_MINUTES_BEFORE`` minutes before a work-phase item starts until it ends, a member's
join POST redirects into their group's room, and a group's host's host link into it as
moderator; before and after, both lead into the main meeting. Refusal rules stay the join link's
own: the resolver only changes *where* an admitted join goes.

The join POST is the hottest request of the plugin. An event without groups is known from its
settings (``HAS_GROUPS``, loaded with the others): no query. Otherwise the work-phase times of the
event (the starts and ends of its work-phase items that have groups) are kept in this process for
``TTL`` seconds (reading them is one query a minute). Outside those times the resolver costs no
query; inside, none either: the join's lookup reads the ticket's group in its one statement
(registered here as a ``TicketCompanion``; ``selection.room_group_of``). Saving or deleting
an agenda item, a group, the event or a date forgets the event's times in this process
(``forget``); other processes see such a change within ``TTL`` seconds, as they see agenda
changes on the join page. Adding the first group or removing the last changes ``HAS_GROUPS`` at once.

Rooms: the generic provider uses the group's meeting URL (a group without one keeps its members
in the main meeting); Jitsi the group's room (its own signed token); BigBlueButton a meeting of
its own on the same server (``room_name`` as meeting ID, or one derived from the main meeting's
and the group's id), created on the first join like the main meeting, with the group's name as
its welcome text. See ``videolinks.domain.rooms.sub_room``.
"""

import datetime
import threading
import time

from django.utils.translation import gettext as _
from django_scopes import scope
from pretix.base.models import OrderPosition
from pretix.base.settings import settings_hierarkey

from ...agenda.models import AgendaItem
from ...videolinks.domain.rooms import Room, register_room_resolver, sub_room
from ...videolinks.join_lookup import TicketCompanion, read_with_ticket
from ..domain.selection import ROOM_GROUP_ATTRIBUTE, ROOM_PART, room_group_joins, room_group_of
from ..models import WorkGroup
from ..settings import ROOM_MINUTES_BEFORE

# Whether the event has any group: read with the event's other settings (no query of its own), so
# that the join POST of an event without groups costs nothing extra. Kept by ``refresh_has_groups``.
HAS_GROUPS = "innowerkstatt_workgroups_has_groups"
settings_hierarkey.add_default(HAS_GROUPS, False, bool)

TTL = 60  # seconds a process keeps an event's work-phase times
OPEN_END = datetime.timedelta(hours=1)  # a work phase without end and without the date's end

_lock = threading.Lock()
_times = {}  # event pk -> (until (monotonic), [(subevent id, item id, start, end)])
ALL_DATES = object()


def forget(event_pk) -> None:
    with _lock:
        _times.pop(event_pk, None)


def forget_all() -> None:
    with _lock:
        _times.clear()


def refresh_has_groups(event, added=False) -> None:
    """After groups were added (``added``: no need to look) or removed, copied or moved between events."""
    with scope(organizer=event.organizer):
        exists = added or WorkGroup.objects.filter(event=event).exists()
    if exists and not event.settings.get(HAS_GROUPS, as_type=bool):
        event.settings.set(HAS_GROUPS, True)
    elif not exists and event.settings.get(HAS_GROUPS, as_type=bool):
        event.settings.delete(HAS_GROUPS)
    forget(event.pk)


def _phase_end(start, end, date_end):
    return end or (date_end if date_end and date_end > start else None) or start + OPEN_END


def work_phase_times(event) -> list[tuple]:
    """``[(subevent id, item id, start, end)]`` of the event's work-phase items with groups (cached)."""
    if not event.settings.get(HAS_GROUPS, as_type=bool):
        return []
    clock = time.monotonic()
    with _lock:
        entry = _times.get(event.pk)
    if entry is not None and entry[0] > clock:
        return entry[1]
    with scope(organizer=event.organizer):
        rows = (
            AgendaItem.objects.filter(event=event, kind=AgendaItem.KIND_WORK, work_groups__isnull=False)
            .values_list("subevent_id", "pk", "start", "end", "subevent__date_to")
            .order_by()
            .distinct()
        )
        times = [
            (subevent_id, pk, start, _phase_end(start, end, date_end or event.date_to))
            for subevent_id, pk, start, end, date_end in rows
        ]
    with _lock:
        _times[event.pk] = (clock + TTL, times)
    return times


def lead_time(event) -> datetime.timedelta:
    return datetime.timedelta(minutes=max(0, event.settings.get(ROOM_MINUTES_BEFORE, as_type=int) or 0))


def open_items(event, at, subevent_id=ALL_DATES) -> set[int]:
    """The work-phase items (with groups) whose group rooms apply at ``at`` (on the date ``subevent_id``); no query."""
    times = work_phase_times(event)
    if not times:
        return set()
    lead = lead_time(event)
    return {
        pk
        for date_id, pk, start, end in times
        if (subevent_id is ALL_DATES or date_id == subevent_id) and start - lead <= at < end
    }


def title(group) -> str:
    return _("Join your group: {name}").format(name=group.name)


def group_room(event, group, meeting, dated) -> Room | None:
    heading = title(group)
    room = sub_room(
        meeting,
        event=event,
        dated=dated,
        key=f"group-{group.pk}",
        name=group.room_name,
        url=group.meeting_url,
        welcome="\n".join(filter(None, [heading, (meeting.provider_settings.get("welcome") or "").strip()])),
    )
    return Room(meeting=room, title=heading) if room is not None else None


read_with_ticket(TicketCompanion(part=ROOM_PART, attribute=ROOM_GROUP_ATTRIBUTE, joins=room_group_joins))


@register_room_resolver
def work_group_room(event, who, at, meeting):
    """videolinks' room hook: a member's group room, or the room of the group a host leads."""
    is_ticket = isinstance(who, OrderPosition)
    running = open_items(event, at, who.subevent_id if is_ticket else ALL_DATES)
    if not running:
        return None
    with scope(organizer=event.organizer):
        if is_ticket:
            group = room_group_of(who)  # None for the backend's sample ticket (not saved)
            if group is None or group.item_id not in running:
                return None
            return group_room(event, group, meeting, who.subevent or event)
        # The first of the groups this host leads whose room is open (the groups' order).
        group = (
            WorkGroup.objects.filter(event=event, host_id=who.pk, item_id__in=running)
            .select_related("item__subevent")
            .first()
        )
        return group_room(event, group, meeting, group.item.subevent or event) if group is not None else None
