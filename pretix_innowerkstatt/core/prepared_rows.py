"""Hand-written SQL statements of the hot paths, prepared once per connection, rows turned into models.

The join POST is the request the whole audience sends within seconds. Building its queries with
the ORM costs more Python than the database needs to answer them, so its statements are written
once per process from the models' own metadata (tables, columns, the database's quoting). Their
rows become model instances through Django's ``Model.from_db`` and the fields' database
converters, exactly as the ORM builds them: fields not loaded are deferred and load on access.

Used by the join lookup (videolinks/join_lookup.py) and the work phase's group lookup
(workgroups/domain/selection.py). Like every raw statement they are outside django-scopes, which
guards the ORM's managers: each statement is bound to what the caller already checked.
"""

import hashlib
import weakref
from dataclasses import dataclass

from django.db import DatabaseError, InterfaceError, OperationalError

from ..compat import column_converters, connection_check_pending, skip_connection_check


@dataclass(frozen=True, eq=False)  # hashed by identity: a key of dicts on the hot path
class Part:
    """One table of a statement, with the fields it loads (the model's concrete field order)."""

    alias: str
    model: type
    fields: tuple

    @classmethod
    def of(cls, alias, model, names):
        return cls(alias, model, tuple(f for f in model._meta.concrete_fields if f.attname in names))

    def columns(self, connection) -> list[str]:
        """The part's columns as ``alias."column"``, in the order of ``fields``."""
        return [f"{self.alias}.{connection.ops.quote_name(f.column)}" for f in self.fields]

    def converters(self, connection) -> list:
        """Per field, what the ORM's compiler applies to a column: the backend's, then the field's own."""
        return [column_converters(field, self.alias, connection) for field in self.fields]

    def instance(self, values, converters, connection):
        """A model instance of ``values`` (one per field, as read) with ``converters`` of ``converters()``."""
        converted = []
        for value, (col, convert_all) in zip(values, converters, strict=True):
            for convert in convert_all:
                value = convert(value, col, connection)
            converted.append(value)
        return self.model.from_db(connection.alias, [f.attname for f in self.fields], converted)


# PostgreSQL spends much of a short statement's cost on planning it. Prepared once per database
# connection, each request only executes it: raw connection -> {statement name: True (prepared)},
# or False (preparing failed on this connection; plain SQL from then on).
_prepared = weakref.WeakKeyDictionary()


def may_prepare(connection) -> bool:
    connection.ensure_connection()
    return (
        connection.vendor == "postgresql"
        # pretix's setting for pgbouncer's transaction pooling, where a prepared statement
        # would live on a server connection the next statement may not get.
        and not connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS")
        # A failing statement must not abort a transaction.
        and connection.get_autocommit()
        and not connection.in_atomic_block
        and _prepared.get(connection.connection) is not False
    )


def fetch_row(connection, sql, params):
    """The first row of ``sql`` (``%s`` placeholders) with ``params``, or None; prepared where it can be.

    With ``CONN_HEALTH_CHECKS`` (pretix's default on PostgreSQL) Django sends ``SELECT 1`` before
    a request's first statement, a round trip of its own. Where this statement is the request's
    first, it is that check: if the connection went away since the last request, it fails, the
    connection is closed and the statement runs once more on a new one, as after a failed check.
    """
    if connection.in_atomic_block or not connection_check_pending(connection):
        return _fetch_row(connection, sql, params)
    skip_connection_check(connection)
    try:
        return _fetch_row(connection, sql, params)
    except (InterfaceError, OperationalError):
        if connection.connection is not None and connection.is_usable():
            raise  # not the connection: the statement's own error
        connection.close()
        return _fetch_row(connection, sql, params)


def _fetch_row(connection, sql, params):
    if may_prepare(connection):
        raw = connection.connection
        name = "innowerkstatt_" + hashlib.sha256(sql.encode()).hexdigest()[:16]
        try:
            with connection.cursor() as cursor:
                prepared = _prepared.setdefault(raw, {})
                if name not in prepared:
                    numbered = sql
                    for i in range(1, len(params) + 1):
                        numbered = numbered.replace("%s", f"${i}", 1)
                    cursor.execute(f"PREPARE {name} AS {numbered}")
                    prepared[name] = True
                cursor.execute(f"EXECUTE {name} ({', '.join(['%s'] * len(params))})", params)
                return cursor.fetchone()
        except DatabaseError:
            # Gone (a pooler's reset, another session's name), or stale after a migration.
            _prepared[raw] = False
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()
