"""Who is in which group: the one write path for every assignment.

Capacity holds under concurrency: every write that may fill a group first locks the group's row
(``SELECT … FOR UPDATE``) and only then counts its taken places (members, and places held in
shopping carts), inside one transaction, so two buyers or attendees racing for the last place are
served one after the other and the second one sees the group full. Organisers may overfill a
group on purpose (``move_member``); they get a warning.

At checkout the race is run at the group step (``hold_places``): the chosen place is held for the
cart as pretix holds quota, and placing the order turns the hold into a member without a lock
(``place_choices``). A hold that ran out meanwhile is checked under the lock at placement.

Every change is logged on the order, one line per ticket, and pretix's cached PDF tickets of the
changed orders are invalidated after the commit (the ticket prints the group).
"""

import datetime
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from pretix.base.models import CartPosition, Item, LogEntry, Order, OrderPosition
from pretix.base.services.tickets import invalidate_cache

from ...agenda.models import AgendaItem
from .. import logtypes
from ..models import WorkGroup, WorkGroupHold, WorkGroupMember
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


# A hold is turned into a member without a lock only while it has this long left: far longer than
# placing an order takes, so everyone else keeps counting it until the member is committed.
HOLD_MARGIN = datetime.timedelta(minutes=1)
EXPIRED_HOLDS_KEPT = datetime.timedelta(days=1)


def _count_per_group(queryset):
    return Coalesce(Subquery(queryset.order_by().values("group").annotate(n=Count("id")).values("n")), 0)


def taken_places(group_ids, *, except_cart_positions=(), at=None) -> dict[int, int]:
    """Places taken per group id, in one query: members that hold a place, and places held in carts.

    A cart's hold counts while its cart position exists and has not expired.
    ``except_cart_positions``: the asking cart's own, whose holds it may choose again.
    """
    group_ids = list(group_ids)
    if not group_ids:
        return {}
    members = WorkGroupMember.objects.filter(active_member_filter(), group=OuterRef("pk"))
    holds = WorkGroupHold.objects.filter(
        Exists(CartPosition.objects.filter(pk=OuterRef("cart_position_id"))),
        group=OuterRef("pk"),
        expires__gt=at or now(),
    ).exclude(cart_position_id__in=list(except_cart_positions))
    rows = (
        WorkGroup.objects.filter(pk__in=group_ids)
        .annotate(members_taken=_count_per_group(members), holds_taken=_count_per_group(holds))
        .values_list("pk", "members_taken", "holds_taken")
    )
    counts = {group_id: 0 for group_id in group_ids}
    counts.update({pk: taken + held for pk, taken, held in rows})
    return counts


def group_full_message(group) -> str:
    return str(_("The group “{name}” is full. Please choose another group or “assign me”.").format(name=group.name))


def check_fits(group, position, event_id=None) -> None:
    """Refuse a group of another event or date, and tickets that take part in no group.

    ``position``: an order position, or a cart position with ``event_id`` (carts have no order).
    """
    if group.event_id != (event_id or position.order.event_id):
        raise GroupError(_("This group belongs to another event."))
    if group.item.subevent_id != position.subevent_id:
        raise GroupError(_("The group “{name}” does not belong to the date of this ticket.").format(name=group.name))
    if not position.item.admission:
        raise GroupError(_("Only admission tickets take part in a work-phase group."))
    if getattr(position, "canceled", False):
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
        taken = taken_places([group.pk])[group.pk]
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


def hold_places(event, choices: dict, *, at=None) -> dict[int, int]:
    """Hold the chosen groups' places for the tickets of a cart: ``{cart position: group or None}``.

    The checkout's group step calls this; it is where two buyers racing for the last place meet:
    the chosen groups are locked, their taken places counted (this cart's own holds aside) and a
    full group raises ``GroupFull``, with nothing changed. A ticket's earlier hold is replaced;
    "assign me" (None) holds nothing. Returns ``{cart position id: hold id}``. The holds last
    pretix's reservation time, as the cart's quota does.
    """
    at = at or now()
    positions = [p.pk for p in choices]
    wanted = {p: g for p, g in choices.items() if g is not None}
    with transaction.atomic():
        # One submission per cart at a time (a double click, two tabs): the later one replaces
        # the earlier one's holds instead of colliding with them.
        list(CartPosition.objects.select_for_update().filter(pk__in=positions).order_by("pk").only("pk"))
        groups = {
            g.pk: g
            for g in WorkGroup.objects.select_for_update(of=("self",))
            .select_related("item")
            .filter(pk__in={g.pk for g in wanted.values()}, event=event)
            .order_by("pk")  # one locking order for everyone: no deadlocks between two buyers
        }
        taken = taken_places(groups.keys(), except_cart_positions=positions, at=at)
        holds = []
        expires = at + datetime.timedelta(minutes=event.settings.get("reservation_time", as_type=int))
        for position, chosen in wanted.items():
            group = groups.get(chosen.pk)
            if group is None:
                raise GroupError(_("The chosen group no longer exists. Please choose again."))
            check_fits(group, position, event_id=event.pk)
            if taken[group.pk] >= group.capacity:
                raise GroupFull(group_full_message(group))
            taken[group.pk] += 1
            holds.append(WorkGroupHold(group=group, cart_position_id=position.pk, expires=expires))
        WorkGroupHold.objects.filter(cart_position_id__in=positions).delete()
        WorkGroupHold.objects.bulk_create(holds)
    return {hold.cart_position_id: hold.pk for hold in holds}


def _holds_to_members(order, held: dict[int, tuple[int, int]], at) -> int:
    """One statement: members for the tickets of ``order`` whose places were held; returns how many.

    ``held``: ``{positionid: (hold id, group id)}``. Only holds with ``HOLD_MARGIN`` left count,
    and only for the chosen group, a ticket of the group's date and an admission product: the
    rules ``check_fits`` applies elsewhere, written into the statement.
    """
    qn = connection.ops.quote_name
    member, hold, group, agenda, position, item = (
        m._meta for m in (WorkGroupMember, WorkGroupHold, WorkGroup, AgendaItem, OrderPosition, Item)
    )

    def col(meta, alias, name):
        return f"{alias}.{qn(meta.get_field(name).column)}"

    def case(values):
        return f"CASE {col(hold, 'h', 'id')} {' '.join(['WHEN %s THEN %s'] * len(values))} END"

    by_hold = [(hold_id, positionid, group_id) for positionid, (hold_id, group_id) in held.items()]
    columns = ", ".join(qn(member.get_field(name).column) for name in ("group", "position", "chosen_by", "created"))
    sql = (
        f"INSERT INTO {qn(member.db_table)} ({columns}) "
        f"SELECT {col(hold, 'h', 'group')}, {col(position, 'p', 'id')}, %s, %s "
        f"FROM {qn(hold.db_table)} h "
        f"JOIN {qn(group.db_table)} g ON {col(group, 'g', 'id')} = {col(hold, 'h', 'group')} "
        f"JOIN {qn(agenda.db_table)} a ON {col(agenda, 'a', 'id')} = {col(group, 'g', 'item')} "
        f"JOIN {qn(position.db_table)} p ON {col(position, 'p', 'order')} = %s "
        f"AND {col(position, 'p', 'positionid')} = {case(by_hold)} "
        f"JOIN {qn(item.db_table)} i ON {col(item, 'i', 'id')} = {col(position, 'p', 'item')} "
        f"WHERE {col(hold, 'h', 'id')} IN ({', '.join(['%s'] * len(by_hold))}) "
        f"AND {col(hold, 'h', 'group')} = {case(by_hold)} "
        f"AND {col(hold, 'h', 'expires')} > %s AND {col(group, 'g', 'event')} = %s "
        f"AND {col(item, 'i', 'admission')} AND NOT {col(position, 'p', 'canceled')} "
        f"AND ({col(agenda, 'a', 'subevent')} = {col(position, 'p', 'subevent')} "
        f"OR ({col(agenda, 'a', 'subevent')} IS NULL AND {col(position, 'p', 'subevent')} IS NULL))"
    )
    adapt = connection.ops.adapt_datetimefield_value
    params = [WorkGroupMember.CHOSEN_BY_ATTENDEE, adapt(at), order.pk]
    params += [v for hold_id, positionid, __ in by_hold for v in (hold_id, positionid)]
    params += [hold_id for hold_id, __, __ in by_hold]
    params += [v for hold_id, __, group_id in by_hold for v in (hold_id, group_id)]
    params += [adapt(at + HOLD_MARGIN), order.event_id]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def place_choices(order, choices: dict[int, int], holds: dict[int, int] | None = None) -> None:
    """Store the groups chosen at checkout for the tickets of a new ``order`` (``{positionid: group_id}``).

    Runs inside pretix's order placement transaction. Tickets whose places the group step held
    (``holds``: ``{positionid: hold id}``) become members in one statement, and their log lines
    are a second: two queries, however many tickets. The others (no hold, or one that ran out)
    are checked as on the order page: lock the chosen groups, count their taken places, insert
    the members, write the log lines. A full group raises ``GroupFull`` and with it the whole
    order is rolled back, as a sold-out quota would.
    """
    choices = {positionid: group_id for positionid, group_id in choices.items() if group_id}
    if not choices:
        return
    at = now()
    held = {n: (holds[n], group_id) for n, group_id in choices.items() if n in (holds or {})}
    placed = set()
    if held:
        inserted = _holds_to_members(order, held, at)
        if inserted == len(held):
            placed = set(held)
        elif inserted:  # some held places ran out (or no longer fit): which ones are members now?
            placed = set(
                WorkGroupMember.objects.filter(position__order=order).values_list("position__positionid", flat=True)
            )
        if placed:  # the group's name is looked up when the line is shown (logtypes.py)
            LogEntry.bulk_create_and_postprocess(
                [
                    order.log_action(logtypes.MEMBER_CHOSEN, data={"positionid": n, "group_id": choices[n]}, save=False)
                    for n in sorted(placed)
                ]
            )
    rest = {n: group_id for n, group_id in choices.items() if n not in placed}
    if rest:
        _place_under_lock(order, rest)


def _place_under_lock(order, choices: dict[int, int]) -> None:
    """The choices without a valid hold: lock, count, insert, log (five queries, however many tickets)."""
    positions = {p.positionid: p for p in order.positions.select_related("item") if p.positionid in choices}
    wanted = {positions[n]: group_id for n, group_id in choices.items() if n in positions}
    if not wanted:
        return
    groups = {
        g.pk: g
        for g in WorkGroup.objects.select_for_update(of=("self",))
        .select_related("item")
        .filter(pk__in=set(wanted.values()), event_id=order.event_id)
        .order_by("pk")  # one locking order for everyone: no deadlocks between two buyers
    }
    counts = taken_places(groups.keys())
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


def delete_expired_holds(at=None) -> int:
    """Holds that expired more than a day ago (their carts are gone or no longer hold anything)."""
    deleted, __ = WorkGroupHold.objects.filter(expires__lt=(at or now()) - EXPIRED_HOLDS_KEPT).delete()
    return deleted


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
        counts = taken_places([g.pk for g in groups])
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
