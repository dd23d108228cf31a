"""``agenda.ics``: the public agenda as an iCalendar file, one VEVENT per agenda item.

- UID: the item's stable UUID (per date for a date showing the event's agenda), SEQUENCE the
  item's ``sequence``: a changed item updates the subscriber's entry instead of adding one.
- Times in the event's timezone with its VTIMEZONE. An open-ended item ("20:00 End") has no
  DTEND: RFC 5545 then makes it a point in time (it ends when it starts).
- SUMMARY, DESCRIPTION (sanitised plain text, then the speakers), LOCATION (the room), URL (the
  event page). Nothing private: no join links, no attendee data.
"""

import datetime
import uuid

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone

from ..domain.plaintext import markdown_text, plain_text
from ..models import AgendaItemSpeaker
from .published import Occurrence, event_timezone

ROLE_LABELS = dict(AgendaItemSpeaker.ROLE_CHOICES)


def _description(occurrence: Occurrence, url: str) -> str:
    parts = [markdown_text(occurrence.item.description)]
    people = []
    for link in occurrence.speaker_links:
        role = plain_text(link.speaker.role)
        name = plain_text(link.speaker.name)
        people.append(f"{ROLE_LABELS.get(link.role, '')}: {name}" + (f" – {role}" if role else ""))
    parts.append("\n".join(people))
    parts.append(url)
    return "\n\n".join(p for p in parts if p)


def agenda_calendar(event, subevent, occurrences: list[Occurrence], page_url) -> Calendar:
    """The calendar for the event, one date or (a series without a date) every date.

    ``page_url(subevent)`` gives the public page an item links to.
    """
    tz = event_timezone(event)
    name = plain_text((subevent or event).name)
    calendar = Calendar.new(
        uid=str(uuid.uuid5(uuid.NAMESPACE_URL, page_url(subevent) + "innowerkstatt/agenda.ics")),
        prodid=f"-//pretix-innowerkstatt//{settings.PRETIX_INSTANCE_NAME.replace(' ', '_')}//agenda//",
        name=_("Agenda: {name}").format(name=name),
        refresh_interval=datetime.timedelta(hours=1),
    )
    for occurrence in occurrences:
        item = occurrence.item
        url = page_url(occurrence.subevent)
        vevent = Event.new(
            uid=str(occurrence.uid),
            sequence=item.sequence,
            stamp=item.updated.astimezone(datetime.UTC),
            start=occurrence.start.astimezone(tz),
            end=occurrence.end.astimezone(tz) if occurrence.end and occurrence.end > occurrence.start else None,
            summary=plain_text(item.title),
            description=_description(occurrence, url),
            location=plain_text(item.room) or None,
            url=url,
        )
        calendar.add_component(vevent)
    # VTIMEZONE with the transitions around the agenda; always there, so even an empty agenda is a
    # calendar with one component (RFC 5545 requires at least one).
    starts = [o.start.date() for o in occurrences] or [(subevent or event).date_from.date()]
    first, last = min(starts) - datetime.timedelta(days=366), max(starts) + datetime.timedelta(days=366)
    if occurrences:
        calendar.add_missing_timezones(first_date=first, last_date=last)
    else:
        calendar.add_component(Timezone.from_tzid(str(tz), first_date=first, last_date=last))
    return calendar
