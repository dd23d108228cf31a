"""The subscribable series calendar of a format (RFC 5545, built with icalendar 7).

One master VEVENT carries the rule (RRULE) and the skipped dates (EXDATE; RFC 5545 has no
EXRULE). Every date that differs from the rule, or that has a published edition, gets an
override VEVENT with the same UID and a RECURRENCE-ID: moved dates keep their original slot
as RECURRENCE-ID, published editions add their shop URL. Unpublished editions never appear
with a URL: the calendar is public.
"""

import datetime
from urllib.parse import urlparse

import icalendar
from django.conf import settings
from django.utils import translation
from pretix.multidomain.urlreverse import build_absolute_uri, eventreverse_absolute

from ..domain import creation
from ..domain.planning import MODE_DATES
from ..models import Edition

PRODID = "-//pretix-innowerkstatt//recurring formats//EN"


def is_published(edition: Edition) -> bool:
    event, subevent = edition.event, edition.subevent
    if event is None or not (event.live and event.is_public):
        return False
    return subevent is None or (subevent.active and subevent.is_public)


def edition_url(edition: Edition) -> str:
    if edition.subevent_id:
        return eventreverse_absolute(edition.event, "presale:event.index", kwargs={"subevent": edition.subevent_id})
    return eventreverse_absolute(edition.event, "presale:event.index")


def series_calendar(fmt) -> bytes:
    template = fmt.template_event
    locale = template.settings.locale if template else None
    with translation.override(locale):
        return _build(fmt).to_ical()


def _build(fmt) -> icalendar.Calendar:
    tz = creation.timezone_of(fmt)
    rule = creation.rule_of(fmt)
    dates = creation.dates_of(fmt, language=translation.get_language())
    name = str(fmt.name)
    host = urlparse(settings.SITE_URL).hostname or "localhost"
    uid = f"innowerkstatt-format-{fmt.organizer.slug}-{fmt.slug}@{host}"
    published = {
        e.key: e
        for e in fmt.editions.select_related("event", "subevent", "event__organizer")
        if e.event_id and is_published(e)
    }
    location = fmt.template_subevent.location if fmt.mode == MODE_DATES and fmt.template_subevent else None
    location = str(location or fmt.template_event.location or "") or None
    stamp = fmt.updated or datetime.datetime.now(datetime.UTC)

    components = []
    if dates:
        master = icalendar.Event.new(
            uid=uid,
            start=dates[0].rule_start,
            end=dates[0].rule_end,
            summary=name,
            description=rule.describe(),
            location=location,
            stamp=stamp,
            url=build_absolute_uri(fmt.organizer, "presale:organizer.index"),
        )
        master.add("rrule", rule.rrule_parts(tz))
        excluded = [d.rule_start for d in dates if d.skipped and d.key not in published]
        if excluded:
            master.add("exdate", excluded)
        components.append(master)
    for date in dates:
        edition = published.get(date.key)
        if edition is None and not date.moved:
            continue
        if edition is None and date.skipped:
            continue
        target = edition.target if edition else None
        start = target.date_from.astimezone(tz) if target else date.start
        end = target.date_to.astimezone(tz) if target and target.date_to else date.end
        description = None
        if date.moved:
            description = "; ".join(date.reasons)
        components.append(
            icalendar.Event.new(
                uid=uid,
                recurrence_id=date.rule_start,
                start=start,
                end=end,
                summary=str(target.name) if target else name,
                description=description,
                location=location,
                stamp=stamp,
                url=edition_url(edition) if edition else None,
            )
        )
    calendar = icalendar.Calendar.new(
        name=name,
        prodid=PRODID,
        uid=f"innowerkstatt-format-calendar-{fmt.organizer.slug}-{fmt.slug}@{host}",
        subcomponents=components,
    )
    if dates:
        first = dates[0].rule_start.date() - datetime.timedelta(days=366)
        last = dates[-1].rule_start.date() + datetime.timedelta(days=366)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar
