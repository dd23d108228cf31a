"""What the organiser should know about the meeting URL: the go-live check and the notices shown
on the event dashboard and on the Video conference page.

Going live is blocked only when the organiser has said that attendees join online ("Attendees
join online: a meeting URL is required") and no meeting URL is set. Everything else is a notice:
a missing URL of an event that may use only the agenda, and one meeting room shared by several
dates of a series or editions of a format while the join links of one of them are still open.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.contrib import messages
from django.template.loader import get_template
from django.utils.formats import date_format
from django.utils.timezone import now
from django.utils.translation import gettext as _

from . import settings as names
from .domain.config import access_rules, event_meeting

MAX_NAMED = 5  # dates named in a notice; the rest are counted


@dataclass(frozen=True)
class Notice:
    level: str  # bootstrap alert class: "danger", "warning" or "info"
    text: str


def links_required(event) -> bool:
    return event.settings.get(names.REQUIRE_URL, as_type=bool)


def _named(labels) -> str:
    labels = list(labels)
    shown = ", ".join(labels[:MAX_NAMED])
    if len(labels) > MAX_NAMED:
        shown += " " + _("and {count} more").format(count=len(labels) - MAX_NAMED)
    return shown


def dates_without_url(event):
    """``None`` if tickets have a meeting URL; otherwise the dates of a series without one (``[]``: the event).

    A date has one when the event, the date (for any product) or a product has a URL.
    """
    from .models import VideoConferenceConfig

    if event_meeting(event).configured:
        return None
    rows = VideoConferenceConfig.objects.filter(event=event).exclude(join_url="")
    if not event.has_subevents:
        return None if rows.exists() else []
    if rows.filter(subevent__isnull=True).exists():
        return None
    covered = set(rows.values_list("subevent_id", flat=True))
    missing = [se for se in event.subevents.filter(active=True).order_by("date_from") if se.pk not in covered]
    return missing or None


def live_issue(event):
    """Why the event may not go live (for pretix's ``event_live_issues``), or None."""
    if not links_required(event):
        return None
    missing = dates_without_url(event)
    if missing is None:
        return None
    if missing:
        return _(
            "Attendees join this event online, but these dates have no meeting URL: {dates}. Set it under "
            "“Video conference” or on the date, or untick “Attendees join online” there."
        ).format(dates=_named(str(se) for se in missing))
    return _(
        "Attendees join this event online, but no meeting URL is set. Set it under “Video conference”, or "
        "untick “Attendees join online” there if the event uses only the agenda."
    )


def _closes(dated, rules):
    return (dated.date_to or dated.date_from) + datetime.timedelta(minutes=rules.closes_minutes_after or 0)


def _label(dated, event):
    start = dated.date_from.astimezone(event.timezone)
    return f"{dated.name} ({date_format(start, 'SHORT_DATE_FORMAT')})"


def _date_rooms(event):
    """``{url: [(label, closes)]}`` for the active dates of a series."""
    from .models import VideoConferenceConfig

    base = event_meeting(event).join_url.strip()
    own = dict(
        VideoConferenceConfig.objects.filter(event=event, subevent__isnull=False, item__isnull=True)
        .exclude(join_url="")
        .values_list("subevent_id", "join_url")
    )
    rules = access_rules(event)
    rooms = defaultdict(list)
    for se in event.subevents.filter(active=True).order_by("date_from"):
        url = (own.get(se.pk) or base).strip()
        if url:
            rooms[url].append((_label(se, event), _closes(se, rules)))
    return rooms


def _edition_rooms(event):
    """``{url: [(label, closes)]}`` for this event and the other editions (events) of its formats."""
    from ..formats.models import Edition

    url = event_meeting(event).join_url.strip()
    format_ids = list(Edition.objects.filter(event=event).values_list("format_id", flat=True))
    if not url or not format_ids:
        return {}
    siblings = (
        Edition.objects.filter(format_id__in=format_ids, event__isnull=False)
        .exclude(event=event)
        .select_related("event")
    )
    members = [(_label(event, event), _closes(event, access_rules(event)))]
    for edition in siblings:
        other = edition.event
        if event_meeting(other).join_url.strip() == url:
            members.append((_label(other, other), _closes(other, access_rules(other))))
    return {url: members}


def shared_rooms(event, at=None):
    """Groups of labels that share one meeting URL while the links of one of them are still open."""
    at = at or now()
    groups = []
    rooms = _date_rooms(event) if event.has_subevents else _edition_rooms(event)
    for members in rooms.values():
        if len(members) > 1 and any(closes > at for _label_, closes in members):
            groups.append([label for label, _closes_ in members])
    return groups


def event_notices(event):
    """The notices for the dashboard and the Video conference page, most important first."""
    result = []
    issue = live_issue(event)
    if issue:
        result.append(Notice("danger", issue))
    else:
        missing = dates_without_url(event)
        if missing == []:
            result.append(
                Notice(
                    "info",
                    _(
                        "No meeting URL is set, so attendees get no join links. That is right for an event that "
                        "uses only the agenda; for an online event, set it under “Video conference”."
                    ),
                )
            )
        elif missing:
            result.append(
                Notice(
                    "info",
                    _("These dates have no meeting URL, so their attendees get no join link: {dates}.").format(
                        dates=_named(str(se) for se in missing)
                    ),
                )
            )
    for labels in shared_rooms(event):
        result.append(
            Notice(
                "warning",
                _(
                    "{dates} use the same meeting URL while join links of one of them are still open: whoever "
                    "joined one can enter the other's meeting with the address they saw. Give each date or "
                    "edition its own meeting room."
                ).format(dates=_named(labels)),
            )
        )
    return result


def offer_access_update(request):
    """After a change of what attendees were told: point to "Send updated access information"."""
    messages.info(
        request,
        _(
            "Existing personal links lead to the new details right away. If attendees should "
            "know about the change, use “Send updated access information”."
        ),
    )


def render(event, request):
    """The notices as HTML for the event dashboard."""
    found = event_notices(event)
    if not found:
        return ""
    return get_template("pretix_innowerkstatt/videolinks/control/fragment_notices.html").render(
        {"notices": found, "event": event, "show_link": True}, request=request
    )
