"""The organiser's changes to groups: create, change, delete. Each one is logged on the event."""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ...agenda.models import AgendaItem
from .. import logtypes
from ..models import WorkGroup, WorkGroupMember
from .membership import GroupError, member_counts, move_member

# Fields an organiser sets on a group (forms and API); everything else is the system's.
EDITABLE_FIELDS = ("name", "description", "capacity", "host", "meeting_url", "room_name", "position")


def check_item(event, item) -> None:
    if item.event_id != event.pk or item.kind != AgendaItem.KIND_WORK:
        raise GroupError(_("Groups belong to an agenda item of kind “Work or breakout phase” of this event."))


def check_host(event, host) -> None:
    if host is not None and host.organizer_id != event.organizer_id:
        raise GroupError(_("The host must be a speaker of this organizer."))


def check_capacity(group, capacity) -> None:
    if group.pk is None:
        return
    taken = member_counts([group.pk])[group.pk]
    if capacity < taken:
        raise GroupError(
            ngettext(
                "%(count)s person is in this group already: the capacity must be at least %(count)s. "
                "Move people to another group first.",
                "%(count)s people are in this group already: the capacity must be at least %(count)s. "
                "Move people to another group first.",
                taken,
            )
            % {"count": taken}
        )


def _log_data(group) -> dict:
    return {
        "name": str(group.name),
        "item": group.item_id,
        "capacity": group.capacity,
        "host": group.host_id,
        "room_name": group.room_name,
        "meeting_url": bool(group.meeting_url),  # secret: only whether it is set
    }


def create_group(item, *, user=None, auth=None, **fields) -> WorkGroup:
    """A new group of the work-phase ``item``, last in its order unless ``position`` is given."""
    event = item.event
    check_item(event, item)
    check_host(event, fields.get("host"))
    with transaction.atomic():
        if "position" not in fields:
            last = WorkGroup.objects.filter(item=item).aggregate(m=Max("position"))["m"]
            fields["position"] = 0 if last is None else last + 1
        group = WorkGroup(event=event, item=item, **fields)
        group.full_clean()
        group.save()
        group.log_action(logtypes.GROUP_ADDED, user=user, auth=auth, data=_log_data(group))
    return group


def change_group(group, *, user=None, auth=None, item=None, **fields) -> WorkGroup:
    """Change ``fields`` of ``group``; a capacity below its members and another date are refused."""
    with transaction.atomic():
        locked = WorkGroup.objects.select_for_update().get(pk=group.pk)
        if "capacity" in fields:
            check_capacity(locked, fields["capacity"])
        check_host(group.event, fields.get("host"))
        if item is not None and item.pk != group.item_id:
            check_item(group.event, item)
            if item.subevent_id != group.item.subevent_id and member_counts([group.pk])[group.pk]:
                raise GroupError(_("This group has members: it can only move to a work phase of the same date."))
            group.item = item
        for name, value in fields.items():
            if name not in EDITABLE_FIELDS:
                raise ValueError(name)
            setattr(group, name, value)
        group.full_clean()
        group.save()
        group.log_action(logtypes.GROUP_CHANGED, user=user, auth=auth, data=_log_data(group))
    return group


def delete_group(group, *, move_to=None, user=None, auth=None) -> int:
    """Delete ``group``; its members move to ``move_to`` (``None``: back to "assign me"). Returns how many moved.

    ``move_to`` must be another group of the same date; moving may exceed its capacity, as any
    organiser's move may.
    """
    if move_to is not None and (move_to.pk == group.pk or move_to.item.subevent_id != group.item.subevent_id):
        raise GroupError(_("Please choose another group of the same date."))
    with transaction.atomic():
        WorkGroup.objects.select_for_update().get(pk=group.pk)
        members = list(
            WorkGroupMember.objects.filter(group=group).select_related("position", "position__order", "position__item")
        )
        for member in members:
            move_member(member.position, move_to, user=user, auth=auth)
        data = _log_data(group)
        data.update(moved=len(members), moved_to=str(move_to.name) if move_to else str(_("assign me")))
        group.log_action(logtypes.GROUP_DELETED, user=user, auth=auth, data=data)
        group.delete()
    return len(members)
