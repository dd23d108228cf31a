"""The "more editions" section on an edition's public event page."""

from django.template.loader import get_template
from django.utils.timezone import now

from ..domain.creation import timezone_of
from ..models import Edition
from .calendar import calendar_url, edition_url, is_published


def other_editions_section(event, request) -> str:
    """Links to the format's other published editions; "" on pages that are no separate-event edition."""
    edition = Edition.objects.filter(event=event, subevent__isnull=True).select_related("format").first()
    if edition is None:
        return ""
    fmt = edition.format
    others = [
        e
        for e in Edition.objects.filter(format=fmt, subevent__isnull=True)
        .exclude(pk=edition.pk)
        .select_related("event", "event__organizer")
        .order_by("event__date_from")
        if is_published(e)
    ]
    if not others:
        return ""
    current = now()
    return get_template("pretix_innowerkstatt/formats/front_page_editions.html").render(
        {
            "format": fmt,
            "timezone": str(timezone_of(fmt)) if fmt.template_event_id else event.settings.timezone,
            "calendar_url": calendar_url(fmt) if fmt.public else "",
            "editions": [
                {
                    "name": e.event.name,
                    "start": e.event.date_from,
                    "url": edition_url(e),
                    "past": e.event.date_from < current,
                }
                for e in others
            ],
        },
        request,
    )
