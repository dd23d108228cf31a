"""The one lookup of the join POST on the main domain, as an SQL statement built once per process.

Building this query with the ORM (select_related over six tables) costs about 1 ms of Python per
request – more than the database needs to answer it – and that at the moment the whole audience
arrives. So the statement is written once from the models' own metadata and prepared once per
connection, and its row becomes model instances as the ORM builds them (core/prepared_rows.py):
fields not loaded here are deferred and load on access like any deferred field.

The lookup is bound to the organiser and event slugs of the URL, so it never finds a ticket of
another organiser; like every raw SQL statement it is outside django-scopes, which guards the
ORM's managers.

Other capabilities that need a row of their own for every join read it in this same statement
(``read_with_ticket``): the work phase reads the ticket's group this way, so a join inside a work
phase costs no query more than any other join.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections
from pretix.base.models import Event, Item, Order, OrderPosition, Organizer, SubEvent
from pretix.multidomain.models import KnownDomain

from ..core.prepared_rows import Part, fetch_row

DATABASE = "default"  # a join is a write: never the replica


# Only what eligibility, the window, the redirect's placeholders and pretix's plugin checks need.
POSITION = Part.of(
    "p",
    OrderPosition,
    {
        "id",
        "order_id",
        "positionid",
        "item_id",
        "subevent_id",
        "addon_to_id",
        "attendee_name_cached",
        "attendee_name_parts",
        "attendee_email",
        "web_secret",
        "canceled",
        "blocked",
    },
)
ORDER = Part.of(
    "o",
    Order,
    {"id", "event_id", "code", "status", "require_approval", "valid_if_pending", "testmode", "email", "locale"},
)
ITEM = Part.of("i", Item, {"id", "admission"})
EVENT = Part.of(
    "e",
    Event,
    {"id", "organizer_id", "slug", "live", "testmode", "plugins", "has_subevents", "date_from", "date_to"},
)
ORGANIZER = Part.of("g", Organizer, {"id", "slug", "plugins"})
SUBEVENT = Part.of("s", SubEvent, {"id", "active", "date_from", "date_to"})
PARTS = (POSITION, ORDER, ITEM, EVENT, ORGANIZER, SUBEVENT)
# Product and date (of a series) come as subqueries by the position's keys: PostgreSQL plans
# them far quicker than two more joins (planning is most of this statement's cost).
BY_POSITION_KEY = {ITEM: "item_id", SUBEVENT: "subevent_id"}


@dataclass(frozen=True, eq=False)
class TicketCompanion:
    """A table another capability reads along with the ticket, through LEFT JOINs of the lookup.

    ``joins(quote_name, position_id)`` returns the ``LEFT JOIN`` clauses that reach ``part``'s
    alias from ``position_id`` (the position's id column). The found position carries the
    instance as ``attribute``, or None when there is no row.
    """

    part: Part
    attribute: str
    joins: Callable[[Callable[[str], str], str], str]


_companions: list[TicketCompanion] = []
_compiled = {}


def read_with_ticket(companion: TicketCompanion) -> None:
    """Have the join's lookup read ``companion`` too (once per process, at import time)."""
    taken = {part.alias for part in PARTS} | {c.part.alias for c in _companions}
    if companion.part.alias in taken:
        raise ValueError(f"The alias {companion.part.alias!r} is taken in the join lookup.")
    _companions.append(companion)
    _compiled.clear()


def compiled(connection):
    """The statement and, per table, each field's column and database converters."""
    if connection.vendor not in _compiled:
        qn = connection.ops.quote_name

        def table(part):
            return f"{qn(part.model._meta.db_table)} {part.alias}"

        def column(part, name):
            return f"{part.alias}.{qn(part.model._meta.get_field(name).column)}"

        def select(part, field):
            if part not in BY_POSITION_KEY:
                return f"{part.alias}.{qn(field.column)}"
            key = column(POSITION, BY_POSITION_KEY[part])
            if field.primary_key:
                return key
            return f"(SELECT {part.alias}.{qn(field.column)} FROM {table(part)} WHERE {column(part, 'id')} = {key})"

        columns = [select(part, f) for part in PARTS for f in part.fields]
        columns += [column for companion in _companions for column in companion.part.columns(connection)]
        companion_joins = "".join(f"{c.joins(qn, column(POSITION, 'id'))} " for c in _companions)
        domains = qn(KnownDomain._meta.db_table)
        sql = (
            f"SELECT {', '.join(columns)}, "
            f"EXISTS (SELECT 1 FROM {domains} d WHERE d.{qn('organizer_id')} = {column(EVENT, 'organizer_id')}) "
            f"FROM {table(POSITION)} "
            f"JOIN {table(ORDER)} ON {column(ORDER, 'id')} = {column(POSITION, 'order_id')} "
            f"JOIN {table(EVENT)} ON {column(EVENT, 'id')} = {column(ORDER, 'event_id')} "
            f"JOIN {table(ORGANIZER)} ON {column(ORGANIZER, 'id')} = {column(EVENT, 'organizer_id')} "
            f"{companion_joins}"
            f"WHERE {column(ORGANIZER, 'slug')} = %s AND {column(EVENT, 'slug')} = %s "
            f"AND {column(ORDER, 'code')} = %s AND {column(POSITION, 'positionid')} = %s LIMIT 1"
        )
        converters = {part: part.converters(connection) for part in PARTS + tuple(c.part for c in _companions)}
        _compiled[connection.vendor] = sql, converters
    return _compiled[connection.vendor]


def find_position_by_slugs(organizer: str, event: str, order_code: str, positionid: int):
    """The position with order, product, date, event and organiser, or None.

    ``position.has_custom_domain``: the organiser has a domain of its own (organiser, event or
    alternative domain), where pretix would send the attendee. Each ``TicketCompanion``'s row
    is the position's attribute of that name (None: no row).
    """
    connection = connections[DATABASE]
    sql, converters = compiled(connection)
    row = fetch_row(connection, sql, [organizer, event, order_code, positionid])
    if row is None:
        return None
    instances, start = {}, 0
    companions = tuple(_companions)
    for part in PARTS + tuple(c.part for c in companions):
        values = row[start : start + len(part.fields)]
        start += len(part.fields)
        if values[0] is not None:  # no date outside a series, no companion's row
            instances[part] = part.instance(values, converters[part], connection)
    position, order, event = instances[POSITION], instances[ORDER], instances[EVENT]
    event.organizer = instances[ORGANIZER]
    order.event = event
    position.order = order
    position.item = instances[ITEM]
    position.item.event = event
    if SUBEVENT in instances:
        position.subevent = instances[SUBEVENT]
        position.subevent.event = event
    position.has_custom_domain = bool(row[-1])
    for companion in companions:
        setattr(position, companion.attribute, instances.get(companion.part))
    return position
