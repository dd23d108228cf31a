"""Reading work-phase groups: which items have groups, which group a ticket is in.

A group belongs to exactly one date: the date of its work-phase item (``item.subevent``; ``None``
for an event without series). In a series, groups sit on a date's own agenda items; a date that
only shows the event's shared agenda has no groups until the organiser copies the agenda onto it.
"""

from django.db import connections
from django.db.models import Count, IntegerField, Q, Value
from pretix.base.models import OrderPosition

from ...agenda.models import AgendaItem
from ...core.prepared_rows import Part, fetch_row
from ..models import WorkGroup, WorkGroupMember


def work_phase_items(event, subevent=None) -> list[AgendaItem]:
    """The agenda items of kind "work" of ``event`` on ``subevent`` (``None``: the event's own), by time."""
    return list(
        AgendaItem.objects.filter(event=event, subevent=subevent, kind=AgendaItem.KIND_WORK).order_by(
            "start", "position", "id"
        )
    )


def groups_of_date(event, subevent=None):
    """Queryset of the groups of ``event`` on ``subevent``, with ``member_count`` (active tickets), in order."""
    return (
        WorkGroup.objects.filter(event=event, item__subevent=subevent)
        .select_related("item", "host")
        .annotate(member_count=active_member_count())
        .order_by("item__start", "item_id", "position", "id")
    )


def groups_of_dates(event, dates):
    """Queryset of the groups of ``event`` on any of ``dates`` (subevent ids; ``None``: no date), counted."""
    dates = set(dates)
    q = Q(item__subevent_id__in=[d for d in dates if d is not None])
    if None in dates:
        q |= Q(item__subevent__isnull=True)
    return (
        WorkGroup.objects.filter(q, event=event)
        .select_related("item")
        .annotate(member_count=active_member_count())
        .order_by("item__start", "item_id", "position", "id")
    )


def active_member_count():
    """Annotation: members whose ticket is not cancelled (a cancelled ticket frees its place)."""
    return Count("members", filter=active_member_filter("members__position__"))


def active_member_filter(prefix: str = "position__") -> Q:
    """Members (reached through ``prefix``) whose ticket and order still count towards capacity."""
    return Q(**{f"{prefix}canceled": False, f"{prefix}order__status__in": ["n", "p"]})


def group_of(position) -> WorkGroup | None:
    """The group ``position`` is in, or ``None`` ("assign me", no groups, or a cancelled ticket).

    One query (the group with its item); none when the caller fetched the position with
    ``select_related("innowerkstatt_work_group_member__group__item")``.
    """
    if getattr(position, "canceled", False):
        return None
    descriptor = type(position).innowerkstatt_work_group_member
    if descriptor.is_cached(position):
        try:
            return position.innowerkstatt_work_group_member.group
        except WorkGroupMember.DoesNotExist:
            return None
    return WorkGroup.objects.select_related("item").filter(members__position=position).first()


# The join POST asks for the ticket's group while a work phase runs: 1,000 attendees within
# seconds. So the join's own lookup reads it in its one statement (``interfaces/rooms.py``
# registers it as a ``TicketCompanion``), and for a ticket found otherwise it is one lean
# statement, written once per database from the models' metadata and prepared once per
# connection (core/prepared_rows.py). Only what a room needs is loaded; the rest of the group is
# deferred and loads on access, as with ``only()``.
ROOM_PART = Part.of("wg", WorkGroup, {"id", "event_id", "item_id", "name", "room_name", "meeting_url"})
ROOM_GROUP_ATTRIBUTE = "innowerkstatt_room_group"  # set by the join lookup: the group, or None
_room_statements = {}


def room_group_joins(quote_name, position_id: str, kind: str = "LEFT JOIN") -> str:
    """The joins from a position's id column (``position_id``) to its group (alias ``wg``)."""
    qn, group, member = quote_name, WorkGroup._meta, WorkGroupMember._meta
    return (
        f"{kind} {qn(member.db_table)} wm ON wm.{qn(member.get_field('position').column)} = {position_id} "
        f"{kind} {qn(group.db_table)} wg ON wg.{qn(group.pk.column)} = wm.{qn(member.get_field('group').column)}"
    )


def _room_statement(connection):
    """The statement and its converters for ``connection``'s database."""
    if connection.vendor not in _room_statements:
        qn = connection.ops.quote_name
        position = OrderPosition._meta
        sql = (
            f"SELECT {', '.join(ROOM_PART.columns(connection))} FROM {qn(position.db_table)} p "
            f"{room_group_joins(qn, f'p.{qn(position.pk.column)}', kind='JOIN')} "
            f"WHERE p.{qn(position.pk.column)} = %s"
        )
        _room_statements[connection.vendor] = sql, ROOM_PART.converters(connection)
    return _room_statements[connection.vendor]


def room_group_of(position, using: str = "default") -> WorkGroup | None:
    """The group ``position`` is in, for its room (name, room, URL; the rest deferred), or None.

    As ``group_of`` without the item. No query for a ticket the join's lookup found (it read
    the group along); one lean statement otherwise. ``using``: the join is a write (its check-in
    follows), so never the replica.
    """
    if getattr(position, "canceled", False) or position.pk is None:
        return None
    if ROOM_GROUP_ATTRIBUTE in position.__dict__:
        return position.__dict__[ROOM_GROUP_ATTRIBUTE]
    connection = connections[using]
    sql, converters = _room_statement(connection)
    row = fetch_row(connection, sql, [position.pk])
    return None if row is None else ROOM_PART.instance(row, converters, connection)


def has_groups(event, subevent=None) -> bool:
    """Whether ``event`` on ``subevent`` has any work-phase group (one query)."""
    return WorkGroup.objects.filter(event=event, item__subevent=subevent).exists()


def with_join_counts(groups, list_id):
    """``groups`` annotated with ``joined_count``: members whose ticket joined the video conference.

    A join is a check-in on the video links' own check-in list (``list_id``; ``None``: nobody joined yet).
    """
    if not list_id:
        return groups.annotate(joined_count=Value(0, output_field=IntegerField()))
    return groups.annotate(
        joined_count=Count(
            "members",
            filter=active_member_filter("members__position__")
            & Q(
                members__position__all_checkins__list_id=list_id,
                members__position__all_checkins__type="entry",
                members__position__all_checkins__successful=True,
            ),
            distinct=True,
        )
    )
