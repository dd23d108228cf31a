"""The one write path of formats: every change of a format goes through these verbs.

The backend form, the REST API, the create task, the management command and the demo all call
them, so each change leaves the same trace: one line in the organiser's log (types from
``formats.logtypes`` only) and a new ``version`` of the format, which keys the cached series
calendar.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from .. import logtypes, permissions
from ..models import Edition, Format

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


@dataclass
class PublishResult:
    published: list = field(default_factory=list)  # editions taken live now
    already: list = field(default_factory=list)  # editions that were live already
    refused: list = field(default_factory=list)  # (edition, why), nothing changed on them


def publish_editions(editions, *, user=None, auth=None, request=None) -> PublishResult:
    """Take each edition live as pretix's own "go live" would, and report the ones that could not.

    An event needs pretix's live permission and no go-live issues (``Event.live_issues``, which
    asks every plugin through ``event_live_issues``); going live ends a test mode, so the shop
    sells for real. A date needs the permission to change the series' dates and a live series.
    Each edition changes in its own transaction, with pretix's log line; one line per format
    lists what was published.
    """
    holder = permissions.holder_of(user, auth)
    result = PublishResult()
    by_format = {}
    for edition in editions:
        if edition.event is None:
            continue
        if edition.subevent_id and edition.subevent.active and edition.event.live:
            result.already.append(edition)
            continue
        if not edition.subevent_id and edition.event.live and not edition.event.testmode:
            result.already.append(edition)
            continue
        if not permissions.may_publish_edition(edition, holder, request=request):
            result.refused.append((edition, _("You may not take this event live.")))
            continue
        why = _publish_date(edition, user, auth) if edition.subevent_id else _publish_event(edition, user, auth)
        if why:
            result.refused.append((edition, why))
        else:
            result.published.append(edition)
            by_format.setdefault(edition.format_id, (edition.format, []))[1].append(edition.key)
    for fmt, keys in by_format.values():
        _bump_version(fmt)
        fmt.log_action(
            logtypes.EDITIONS_PUBLISHED, user=user, auth=auth, data={"published": ", ".join(keys), "keys": keys}
        )
    return result


@transaction.atomic
def _publish_event(edition: Edition, user, auth) -> str:
    event = edition.event
    issues = event.live_issues
    if issues:
        return " ".join(strip_tags(str(issue)) for issue in issues)
    if event.testmode:
        event.testmode = False
        event.save(update_fields=["testmode"])
        event.log_action("pretix.event.testmode.deactivated", user=user, auth=auth, data={"delete": False})
        event.cache.delete("complain_testmode_orders")
    if not event.live:
        event.live = True
        event.save(update_fields=["live"])
        event.log_action("pretix.event.live.activated", user=user, auth=auth, data={})
    return ""


@transaction.atomic
def _publish_date(edition: Edition, user, auth) -> str:
    series, subevent = edition.event, edition.subevent
    if not series.live:
        return _("The event series “%(event)s” is offline; take it live in pretix first.") % {"event": series.name}
    subevent.active = True
    subevent.save(update_fields=["active"])
    subevent.log_action("pretix.subevent.changed", user=user, auth=auth, data={"active": True})
    return ""
