"""The subscribable series calendar of a format (RFC 5545, built with icalendar 7).

One master VEVENT carries the rule (RRULE) and the skipped dates (EXDATE; RFC 5545 has no
EXRULE). Every date that differs from the rule, or that has a published edition, gets an
override VEVENT with the same UID and a RECURRENCE-ID: moved dates keep their original slot
as RECURRENCE-ID, published editions add their shop URL. Unpublished editions never appear
with a URL: the calendar is public (while the format's ``public`` switch is on). The location
is the template's only while the template event (or date) is published itself.

Expanding the rule means checking holidays for up to 400 periods, so the finished file is kept
in pretix's cache, keyed by the format's ``version`` (counted up by every change through
``domain/editing.py``) and a fingerprint of what else it shows: the published editions and
the template's location.
"""

import datetime
import hashlib
from urllib.parse import urlparse

import icalendar
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from ...compat import eventreverse_absolute
from ..domain import creation
from ..domain.planning import MODE_DATES
from ..models import Edition

PRODID = "-//pretix-innowerkstatt//recurring formats//EN"


CACHE_SECONDS = 24 * 3600


def _published(event, subevent=None) -> bool:
    if event is None or not (event.live and event.is_public):
        return False
    return subevent is None or (subevent.active and subevent.is_public)


def is_published(edition: Edition) -> bool:
    return _published(edition.event, edition.subevent)


def calendar_url(fmt) -> str:
    """The address of the format's series calendar (served only while ``fmt.public``)."""
    return eventreverse_absolute(fmt.organizer, "plugins:pretix_innowerkstatt:formats.ics", kwargs={"slug": fmt.slug})


def public_location(fmt) -> str | None:
    """The template's location, only if the template (the date, in a series) is published itself."""
    template = fmt.template_event
    if fmt.mode == MODE_DATES:
        subevent = fmt.template_subevent
        if subevent is None or not _published(template, subevent):
            return None
        return str(subevent.location or template.location or "") or None
    if not _published(template):
        return None
    return str(template.location or "") or None


def _published_editions(fmt) -> dict:
    return {
        e.key: e
        for e in fmt.editions.select_related("event", "subevent", "event__organizer")
        if e.event_id and is_published(e)
    }


def cached_series_calendar(fmt) -> bytes:
    """``series_calendar(fmt)``, from pretix's cache while the format and what it shows are unchanged."""
    template = fmt.template_event
    locale = template.settings.locale if template else None
    published = _published_editions(fmt)
    fingerprint = repr(
        (
            locale,
            template.settings.timezone if template else None,
            public_location(fmt),
            sorted(
                (key, e.event.slug, e.subevent_id, str(e.target.name), e.target.date_from, e.target.date_to)
                for key, e in published.items()
            ),
        )
    )
    digest = hashlib.sha256(fingerprint.encode()).hexdigest()[:32]
    key = f"innowerkstatt:formats:ics:{fmt.pk}:{fmt.version}:{digest}"
    content = cache.get(key)
    if content is None:
        content = series_calendar(fmt, published=published)
        cache.set(key, content, CACHE_SECONDS)
    return content


def edition_url(edition: Edition) -> str:
    if edition.subevent_id:
        return eventreverse_absolute(edition.event, "presale:event.index", kwargs={"subevent": edition.subevent_id})
    return eventreverse_absolute(edition.event, "presale:event.index")


def series_calendar(fmt, *, published: dict | None = None) -> bytes:
    template = fmt.template_event
    locale = template.settings.locale if template else None
    with translation.override(locale):
        return _build(fmt, _published_editions(fmt) if published is None else published).to_ical()


def _build(fmt, published: dict) -> icalendar.Calendar:
    tz = creation.timezone_of(fmt)
    rule = creation.rule_of(fmt)
    dates = creation.dates_of(fmt, language=translation.get_language())
    name = str(fmt.name)
    host = urlparse(settings.SITE_URL).hostname or "localhost"
    uid = f"innowerkstatt-format-{fmt.organizer.slug}-{fmt.slug}@{host}"
    location = public_location(fmt)
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
            url=eventreverse_absolute(fmt.organizer, "presale:organizer.index"),
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
