"""The one write path of formats: every change of a format goes through these verbs.

The backend form, the REST API, the create task, the management command and the demo all call
them, so each change leaves the same trace: one line in the organiser's log (types from
``formats.logtypes`` only) and a new ``version`` of the format, which keys the cached series
calendar.
"""

from django.db import transaction
from django.db.models import F

from .. import logtypes
from ..models import Format

# What an organiser changes; ``version`` is only ever counted up in the database.
_BOOKKEEPING = {"id", "organizer", "created", "updated", "version"}
_CONTENT_FIELDS = [f for f in Format._meta.concrete_fields if f.name not in _BOOKKEEPING]
_SAVED_FIELDS = [f.name for f in _CONTENT_FIELDS] + ["updated"]


def changed_fields(fmt: Format) -> list[str]:
    """The fields of ``fmt`` whose value differs from the stored row (all of them for a new format)."""
    if fmt.pk is None:
        return [f.name for f in _CONTENT_FIELDS]
    stored = Format.objects.get(pk=fmt.pk)
    return [
        f.name
        for f in _CONTENT_FIELDS
        if f.get_prep_value(getattr(fmt, f.attname)) != f.get_prep_value(getattr(stored, f.attname))
    ]


def _bump_version(fmt: Format) -> None:
    Format.objects.filter(pk=fmt.pk).update(version=F("version") + 1)
    fmt.refresh_from_db(fields=["version"])


@transaction.atomic
def save_format(fmt: Format, *, user=None, auth=None) -> Format:
    """Save a new or changed format (its ``organizer`` set) and log "created" or "changed".

    Saving a format unchanged writes and logs nothing.
    """
    is_new = fmt.pk is None
    changed = changed_fields(fmt)
    if not changed:
        return fmt
    if is_new:
        fmt.save()
    else:
        fmt.save(update_fields=_SAVED_FIELDS)
    _bump_version(fmt)
    fmt.log_action(
        logtypes.FORMAT_ADDED if is_new else logtypes.FORMAT_CHANGED,
        user=user,
        auth=auth,
        data={"name": str(fmt.name), "slug": fmt.slug, "changed": [] if is_new else changed},
    )
    return fmt


@transaction.atomic
def delete_format(fmt: Format, *, user=None, auth=None) -> None:
    """Delete a format; its editions' events and dates stay. The line hangs on the organiser."""
    fmt.organizer.log_action(
        logtypes.FORMAT_DELETED, user=user, auth=auth, data={"name": str(fmt.name), "slug": fmt.slug}
    )
    fmt.delete()


def save_horizon(fmt: Format, periods: int, *, user=None, auth=None) -> None:
    """Store a horizon moved by ``creation.extend_horizon`` (``count`` or ``until``) and log it."""
    fmt.save(update_fields=["count", "until", "updated"])
    _bump_version(fmt)
    fmt.log_action(
        logtypes.FORMAT_EXTENDED,
        user=user,
        auth=auth,
        data={"periods": periods, "count": fmt.count, "until": fmt.until},
    )


def editions_created(fmt: Format, result: dict, *, user=None, auth=None) -> None:
    """After a creating run: log what it created and what not (``CreationResult.as_dict()``)."""
    _bump_version(fmt)
    fmt.log_action(logtypes.EDITIONS_CREATED, user=user, auth=auth, data=result)
