"""What attendees see of an agenda: kinds with icons, speaker cards with thumbnails, the event-page section."""

import functools
from dataclasses import dataclass

from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from pretix.base.templatetags.rich_text import rich_text
from pretix.helpers.models import Thumbnail
from pretix.helpers.thumb import get_thumbnail
from pretix.multidomain.urlreverse import eventreverse

from ..core.dates import day
from . import caching
from .domain.formatting import opens_a_day
from .domain.selection import dated_agenda_items, speakers_of
from .domain.speaker_links import clean_links
from .models import AgendaItem, AgendaItemSpeaker

# Font Awesome 4 icons, as pretix's own pages use them.
KIND_ICONS = {
    AgendaItem.KIND_WELCOME: "handshake-o",
    AgendaItem.KIND_TALK: "microphone",
    AgendaItem.KIND_PANEL: "users",
    AgendaItem.KIND_BREAK: "coffee",
    AgendaItem.KIND_WORK: "lightbulb-o",
    AgendaItem.KIND_PRESENTATION: "bullhorn",
    AgendaItem.KIND_END: "flag-checkered",
}
THUMBNAIL_SIZE = "160x160^"


@functools.lru_cache(maxsize=4096)
def _sanitised_markdown(source: str) -> str:
    return str(rich_text(source))


def markdown_html(text) -> str:
    """pretix's sanitised Markdown of an organiser's text, remembered per source text in this process.

    The event page renders the same descriptions and biographies on every visit, and Markdown plus
    sanitising is most of the agenda's cost; the same source always gives the same HTML.
    """
    source = str(text or "")
    return mark_safe(_sanitised_markdown(source)) if source.strip() else ""


def thumbnail_urls(speakers) -> dict:
    """``{speaker.pk: url}`` of the speakers' photo thumbnails, in one query (pretix's thumbnail cache)."""
    sources = {str(s.photo): s.pk for s in speakers if s.photo}
    if not sources:
        return {}
    found = {t.source: t for t in Thumbnail.objects.filter(source__in=sources, size=THUMBNAIL_SIZE)}
    urls = {}
    for source, pk in sources.items():
        thumbnail = found.get(source)
        try:
            thumbnail = thumbnail or get_thumbnail(source, THUMBNAIL_SIZE)  # only for photos not yet seen
            urls[pk] = thumbnail.thumb.url
        except Exception:  # an unreadable file shows no photo rather than breaking the page
            continue
    return urls


def kind_label(item) -> str:
    label = str(item.get_kind_display())
    return "" if label.casefold() == str(item.title).strip().casefold() else label


@dataclass
class AgendaRow:
    item: AgendaItem
    start: object  # in the event's timezone
    end: object
    icon: str
    kind_label: str  # "" where it would only repeat the title, like "Ende – End"
    day: str  # the day ("Dec. 5, 2026"), at the first item of each day of an agenda over several days
    speakers: list  # [(speaker, role label)]
    description: str  # sanitised HTML


def agenda_context(event, subevent=None) -> dict | None:
    """Everything the event-page section needs, or None when there is no agenda."""
    items = dated_agenda_items(event, subevent)
    if not items:
        return None
    tz = event.timezone
    roles = dict(AgendaItemSpeaker.ROLE_CHOICES)
    starts = [item.start.astimezone(tz) for item in items]
    rows = [
        AgendaRow(
            item=item,
            start=start,
            end=item.end.astimezone(tz) if item.end else None,
            icon=KIND_ICONS.get(item.kind, "circle-o"),
            kind_label=kind_label(item),
            day=day(start) if new_day else "",
            speakers=[(link.speaker, roles.get(link.role, "")) for link in item.speaker_links.all()],
            description=markdown_html(item.description),
        )
        for item, start, new_day in zip(items, starts, opens_a_day(starts), strict=True)
    ]
    speakers = speakers_of(items)
    photos = thumbnail_urls(speakers)
    first_start = items[0].start.astimezone(tz)
    return {
        "rows": rows,
        "several_days": any(row.day for row in rows),
        "speakers": [(s, photos.get(s.pk), clean_links(s.links), markdown_html(s.biography)) for s in speakers],
        "timezone": str(tz),
        "timezone_abbreviation": first_start.tzname(),
        "date_label": day(first_start),
        "tz": tz,
    }


def _render(event, subevent):
    context = agenda_context(event, subevent)
    if context is None:
        return ""
    context["heading"] = _("Agenda")
    kwargs = {"subevent": subevent.pk} if subevent is not None else {}
    context["ics_url"] = eventreverse(event, "plugins:pretix_innowerkstatt:agenda.ics", kwargs=kwargs)
    context["json_url"] = eventreverse(event, "plugins:pretix_innowerkstatt:agenda.json", kwargs=kwargs)
    # Without the request: pretix's context processors need not run a second time for a fragment.
    return get_template("pretix_innowerkstatt/agenda/public_section.html").render(context)


def render_section(event, request, subevent=None) -> str:
    """The event page's agenda section ("" without agenda); reused while the agenda is unchanged."""
    key = ("page", caching.context_key(event, subevent), caching.agenda_version(event, subevent))
    return mark_safe(caching.remembered(key, lambda: _render(event, subevent)))


def outside_notice(event) -> str:
    """The event dashboard's notice of agendas with items outside the event's or date's time."""
    from django.urls import reverse

    from .domain.checks import agendas_outside

    found = agendas_outside(event)
    if not found:
        return ""
    url = reverse(
        "plugins:pretix_innowerkstatt:agenda",
        kwargs={"organizer": event.organizer.slug, "event": event.slug},
    )
    rows = [
        {
            "label": subevent.get_date_range_display() if subevent is not None else str(event.name),
            "count": count,
            "url": f"{url}?subevent={subevent.pk}" if subevent is not None else url,
        }
        for subevent, count, _minutes in found
    ]
    return get_template("pretix_innowerkstatt/agenda/dashboard_outside.html").render({"rows": rows})
