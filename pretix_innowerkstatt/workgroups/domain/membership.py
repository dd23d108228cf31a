"""Who is in which group: the one write path for every assignment.

Capacity holds under concurrency: every write that may fill a group first locks the group's row
(``SELECT … FOR UPDATE``) and only then counts its members, inside one transaction, so two buyers
or attendees racing for the last place are served one after the other and the second one sees
the group full. Organisers may overfill a group on purpose (``move_member``); they get a warning.

Every change is logged on the order, one line per ticket, and pretix's cached PDF tickets of the
changed orders are invalidated after the commit (the ticket prints the group).
"""

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Count
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from pretix.base.models import LogEntry, Order, OrderPosition
from pretix.base.services.tickets import invalidate_cache

from .. import logtypes
from ..models import WorkGroup, WorkGroupMember
from ..settings import CHANGE_DEADLINE_MINUTES
from .selection import active_member_filter

COUNTED_ORDER_STATUSES = (Order.STATUS_PENDING, Order.STATUS_PAID)


class GroupError(Exception):
    """A choice or change that is not possible; ``str(error)`` is the message for the person."""


class GroupFull(GroupError):
    pass


def counted_positions(queryset):
    """Tickets of ``queryset`` (order positions) that hold a place: not cancelled, order pending or paid."""
    return queryset.filter(canceled=False, order__status__in=COUNTED_ORDER_STATUSES)


def member_counts(group_ids) -> dict[int, int]:
    """Places taken per group id (active tickets only), in one query."""
    rows = (
        WorkGroupMember.objects.filter(group_id__in=list(group_ids))
        .filter(active_member_filter())
        .values("group_id")
        .annotate(n=Count("id"))
    )
    counts = {group_id: 0 for group_id in group_ids}
    counts.update({row["group_id"]: row["n"] for row in rows})
    return counts


def group_full_message(group) -> str:
    return str(_("The group “{name}” is full. Please choose another group or “assign me”.").format(name=group.name))


def check_fits(group, position) -> None:
    """Refuse a group of another event or date, and tickets that take part in no group."""
    if group.event_id != position.order.event_id:
        raise GroupError(_("This group belongs to another event."))
    if group.item.subevent_id != position.subevent_id:
        raise GroupError(_("The group “{name}” does not belong to the date of this ticket.").format(name=group.name))
    if not position.item.admission:
        raise GroupError(_("Only admission tickets take part in a work-phase group."))
    if position.canceled:
        raise GroupError(_("This ticket has been cancelled."))


def change_deadline(position) -> datetime.datetime:
    """Until when the attendee may change the group of ``position``: the start of its event or date."""
    event = position.order.event
    start = position.subevent.date_from if position.subevent_id else event.date_from
    return start - datetime.timedelta(minutes=event.settings.get(CHANGE_DEADLINE_MINUTES, as_type=int))


def attendee_may_change(position, at=None) -> bool:
    return (at or now()) < change_deadline(position)


# More changed orders than this at once (assigning the rest): invalidate the event's tickets in one task.
TICKETS_PER_ORDER_LIMIT = 20


def tickets_changed(event_id, order_ids) -> None:
    """After the commit, make pretix render the PDF tickets of ``order_ids`` anew: they print the group.

    The same pretix task the agenda uses after its changes (agenda/domain/editing.py), narrowed to
    the orders whose tickets changed.
    """
    order_ids = sorted(set(order_ids))
    if not order_ids:
        return
    if len(order_ids) > TICKETS_PER_ORDER_LIMIT:
        transaction.on_commit(lambda: invalidate_cache.apply_async(kwargs={"event": event_id}))
        return
    for order_id in order_ids:
        transaction.on_commit(
            lambda order_id=order_id: invalidate_cache.apply_async(kwargs={"event": event_id, "order": order_id})
        )


def _log_line(position, group, action, *, user=None, auth=None, save=True):
    data = {"positionid": position.positionid, "position": position.pk}
    if group is not None:
        with override(position.order.locale):
            data.update(group=str(group.name), group_id=group.pk)
    return position.order.log_action(action, data=data, user=user, auth=auth, save=save)


def choose_group(
    position, group, *, by=WorkGroupMember.CHOSEN_BY_ATTENDEE, user=None, auth=None, enforce_capacity=True
):
    """Put ``position`` into ``group`` (``None``: "assign me"); returns True if the group is now over capacity.

    Raises ``GroupFull`` when ``enforce_capacity`` and the group has no free place, ``GroupError``
    for a group of another event or date. Nothing changes when the ticket is already there.
    """
    with transaction.atomic():
        current = WorkGroupMember.objects.select_for_update().filter(position=position).first()
        if group is None:
            if current is None:
                return False
            old_group = current.group
            current.delete()
            _log_line(position, old_group, logtypes.MEMBER_LEFT, user=user, auth=auth)
            tickets_changed(position.order.event_id, [position.order_id])
            return False
        check_fits(group, position)
        locked = WorkGroup.objects.select_for_update().get(pk=group.pk)
        if current is not None and current.group_id == group.pk:
            return False
        taken = member_counts([group.pk])[group.pk]
        if taken >= locked.capacity and enforce_capacity:
            raise GroupFull(group_full_message(group))
        if current is None:
            WorkGroupMember.objects.create(group=group, position=position, chosen_by=by)
        else:
            current.group, current.chosen_by = group, by
            current.save(update_fields=["group", "chosen_by"])
        action = {
            WorkGroupMember.CHOSEN_BY_ATTENDEE: logtypes.MEMBER_CHOSEN,
            WorkGroupMember.CHOSEN_BY_ORGANISER: logtypes.MEMBER_MOVED,
        }.get(by, logtypes.MEMBER_ASSIGNED)
        _log_line(position, group, action, user=user, auth=auth)
        tickets_changed(position.order.event_id, [position.order_id])
        return taken + 1 > locked.capacity


def move_member(position, group, *, user=None, auth=None) -> bool:
    """An organiser moves ``position`` to ``group`` (``None``: "assign me"), even beyond its capacity.

    Returns True if the group is over capacity now (the page shows a warning).
    """
    return choose_group(
        position, group, by=WorkGroupMember.CHOSEN_BY_ORGANISER, user=user, auth=auth, enforce_capacity=False
    )


def place_choices(order, choices: dict[int, int]) -> None:
    """Store the groups chosen at checkout for the tickets of a new ``order`` (``{positionid: group_id}``).

    Runs inside pretix's order placement transaction: a full group raises ``GroupFull`` and with it
    the whole order is rolled back, as a sold-out quota would. Four queries, however many tickets:
    lock the chosen groups, count their members, insert the members, write the log lines.
    """
    if not choices:
        return
    positions = {p.positionid: p for p in order.positions.select_related("item") if p.positionid in choices}
    wanted = {}
    for positionid, group_id in choices.items():
        if positionid in positions and group_id:
            wanted[positions[positionid]] = group_id
    if not wanted:
        return
    groups = {
        g.pk: g
        for g in WorkGroup.objects.select_for_update(of=("self",))
        .select_related("item")
        .filter(pk__in=set(wanted.values()), event_id=order.event_id)
        .order_by("pk")  # one locking order for everyone: no deadlocks between two buyers
    }
    counts = member_counts(groups.keys())
    members, log_lines = [], []
    for position, group_id in wanted.items():
        group = groups.get(group_id)
        if group is None:
            raise GroupError(_("The chosen group no longer exists. Please choose again."))
        check_fits(group, position)
        if counts[group.pk] >= group.capacity:
            raise GroupFull(group_full_message(group))
        counts[group.pk] += 1
        members.append(WorkGroupMember(group=group, position=position, chosen_by=WorkGroupMember.CHOSEN_BY_ATTENDEE))
        log_lines.append(_log_line(position, group, logtypes.MEMBER_CHOSEN, save=False))
    WorkGroupMember.objects.bulk_create(members)
    LogEntry.bulk_create_and_postprocess(log_lines)


def assign_rest(event, subevent=None, *, user=None, automatic=False) -> int:
    """Put every ticket of the date that chose "assign me" into the least full groups; returns how many.

    Only groups with a free place take people (fewest members first, then in the groups' order);
    tickets left when every group is full stay unassigned. Running it again changes nothing.
    """
    by = WorkGroupMember.CHOSEN_BY_AUTOMATIC if automatic else WorkGroupMember.CHOSEN_BY_ORGANISER
    with transaction.atomic():
        groups = list(
            WorkGroup.objects.select_for_update(of=("self",))
            .select_related("item")
            .filter(event=event, item__subevent=subevent)
            .order_by("pk")
        )
        if not groups:
            return 0
        groups.sort(key=lambda g: (g.item.start, g.position, g.pk))
        counts = member_counts([g.pk for g in groups])
        waiting = list(
            counted_positions(
                OrderPosition.objects.filter(
                    order__event=event, subevent=subevent, item__admission=True, innowerkstatt_work_group_member=None
                )
            )
            .select_related("order")
            .order_by("order__datetime", "order_id", "positionid")
        )
        members, log_lines, per_group = [], [], defaultdict(int)
        for position in waiting:
            free = [g for g in groups if counts[g.pk] < g.capacity]
            if not free:
                break
            group = min(free, key=lambda g: counts[g.pk])
            counts[group.pk] += 1
            per_group[group.pk] += 1
            members.append(WorkGroupMember(group=group, position=position, chosen_by=by))
            log_lines.append(_log_line(position, group, logtypes.MEMBER_ASSIGNED, user=user, save=False))
        if not members:
            return 0
        WorkGroupMember.objects.bulk_create(members)
        LogEntry.bulk_create_and_postprocess(log_lines)
        tickets_changed(event.pk, [m.position.order_id for m in members])
        event.log_action(
            logtypes.REST_ASSIGNED,
            user=user,
            data={"count": len(members), "subevent": subevent.pk if subevent else None, "automatic": automatic},
        )
        return len(members)


def release_cancelled(order, user=None) -> int:
    """Free the places of the cancelled tickets of ``order`` (the whole order, or single tickets)."""
    members = WorkGroupMember.objects.filter(position__order=order).select_related("group", "position")
    if order.status != Order.STATUS_CANCELED:
        members = members.filter(position__canceled=True)
    members = list(members)
    for member in members:
        member.position.order = order
        _log_line(member.position, member.group, logtypes.MEMBER_LEFT, user=user)
    WorkGroupMember.objects.filter(pk__in=[m.pk for m in members]).delete()
    return len(members)
