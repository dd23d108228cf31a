"""Which editions to announce when something in pretix makes them available.

An edition becomes available to the public when its event goes live (separate events) or when
its date is activated or made public while the series is live (dates of a series); a series
going live makes all its active dates available at once. pretix writes a log line for each of
these changes, and this module maps log lines to editions. Announcing itself is idempotent (see
``announcing``), so a line seen twice sends nothing twice.

pretix saves most log lines one by one (``post_save``), but the bulk actions of the date list
(enable the selected dates, the bulk edit form) store theirs with ``bulk_create``, which sends
no signal. ``announce_bulk_changes`` catches those from pretix's periodic run: it reads the
date changes logged since its last run, remembered by log entry number in pretix's global
settings.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.timezone import now
from pretix.base.models import LogEntry, SubEvent
from pretix.base.settings import GlobalSettingsObject, settings_hierarkey

from ...core.permissions import plugin_active_for_event
from ...formats.models import Edition
from .. import tasks
from . import texts

LIVE_ACTIVATED = "pretix.event.live.activated"
DATE_ADDED = "pretix.subevent.added"
DATE_CHANGED = "pretix.subevent.changed"
ACTION_TYPES = (LIVE_ACTIVATED, DATE_ADDED, DATE_CHANGED)

# The fields of a date that make it visible in the shop when they are switched on.
OPENING_FIELDS = ("active", "is_public")

# The last log entry the periodic run has looked at.
LOG_MARK = "innowerkstatt_followers_date_log_mark"
settings_hierarkey.add_default(LOG_MARK, 0, int)
# Log lines younger than this are left for the next run: their transaction may still be open.
SETTLE = datetime.timedelta(minutes=1)
# Where the periodic run starts on its very first run.
FIRST_LOOK_BACK = datetime.timedelta(hours=1)

TRUE_VALUES = (True, 1, "1", "true", "True", "on")


def opens_date(data: dict) -> bool:
    """Whether a logged change of a date switched on what makes it visible (as pretix logs it)."""
    return any(data.get(field) in TRUE_VALUES for field in OPENING_FIELDS)


def _announce(editions) -> int:
    """Queue the announcement of each edition whose format announces automatically; returns how many."""
    queued = 0
    for edition in editions:
        if texts.settings_of(edition.format).announce_automatically:
            tasks.announce_later(edition)
            queued += 1
    return queued


def _editions(**filters):
    return Edition.objects.filter(**filters).select_related("format", "format__follow_settings")


def editions_of_log_line(entry: LogEntry):
    """The editions a saved log line may have made available (their state is checked when announcing)."""
    if entry.action_type == LIVE_ACTIVATED:
        # The event itself (a separate-event edition) and every date of a series that has not started.
        return _editions(event_id=entry.event_id).filter(Q(subevent__isnull=True) | Q(subevent__date_from__gt=now()))
    if entry.content_type_id != ContentType.objects.get_for_model(SubEvent).pk:
        return Edition.objects.none()
    if entry.action_type == DATE_CHANGED and not opens_date(entry.parsed_data or {}):
        return Edition.objects.none()
    # Created by its format (active if the format publishes), or activated by the date form or the API.
    return _editions(subevent_id=entry.object_id)


def log_line_saved(entry: LogEntry) -> int:
    """React to one log line as pretix saves it; returns how many announcements were queued."""
    return _announce(editions_of_log_line(entry))


def announce_bulk_changes(*, current=None) -> int:
    """Announce dates switched on by pretix's bulk actions since the last run; returns how many were queued."""
    current = current or now()
    global_settings = GlobalSettingsObject().settings
    mark = global_settings.get(LOG_MARK, as_type=int, default=0)
    # pretix's log has an index on (datetime, id): both look-ups read one row of it
    settled = LogEntry.objects.filter(datetime__lt=current - SETTLE).order_by("-datetime", "-pk")
    top = settled.values_list("pk", flat=True).first()
    if top is None:
        return 0
    if not mark:
        recent = LogEntry.objects.filter(datetime__gte=current - FIRST_LOOK_BACK).order_by("datetime", "pk")
        mark = (recent.values_list("pk", flat=True).first() or top + 1) - 1
    if top <= mark:
        return 0
    lines = LogEntry.objects.filter(
        pk__gt=mark,
        pk__lte=top,
        action_type=DATE_CHANGED,
        content_type=ContentType.objects.get_for_model(SubEvent),
        object_id__in=Edition.objects.filter(subevent__isnull=False).values("subevent_id"),
    ).only("pk", "object_id", "data")
    opened = {line.object_id for line in lines if opens_date(line.parsed_data or {})}
    editions = [
        edition
        for edition in _editions(subevent_id__in=opened, subevent__date_from__gt=current).select_related(
            "event", "event__organizer"
        )
        if plugin_active_for_event(edition.event)
    ]
    queued = _announce(editions)
    global_settings.set(LOG_MARK, top)
    return queued
