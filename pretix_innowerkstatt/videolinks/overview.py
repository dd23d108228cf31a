"""The video-link card on the plugin overview page, and the per-date join counts."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.urls import reverse
from pretix.base.models import Checkin, OrderPosition

from ..core.overview import register_card
from . import notices
from .domain import eligibility
from .domain.checkin import checkin_list
from .domain.config import access_rules


@dataclass
class DateCount:
    label: str
    subevent: object
    eligible: int
    joined: int

    @property
    def not_joined(self):
        return self.eligible - self.joined


def join_counts(event):
    """Per date: how many positions have access, and how many of them joined (one query)."""
    rules = access_rules(event)
    clist = checkin_list(event)
    positions = OrderPosition.objects.filter(order__event=event).select_related("order", "item", "subevent")
    if clist is not None:
        positions = positions.annotate(
            joined=Exists(Checkin.objects.filter(position_id=OuterRef("pk"), list_id=clist.pk))
        )
    counts = {}
    for p in positions:
        if not eligibility.gets_link(p, rules):
            continue
        entry = counts.setdefault(p.subevent_id, [p.subevent, 0, 0])
        entry[1] += 1
        entry[2] += int(bool(getattr(p, "joined", False)))
    result = [
        DateCount(label=str(se) if se else str(event.name), subevent=se, eligible=n, joined=j)
        for se, n, j in counts.values()
    ]
    return sorted(result, key=lambda c: c.subevent.date_from if c.subevent else event.date_from)


@register_card(order=20)
def card(event, request):
    """The capability's card on the plugin overview page (template and its context)."""
    kwargs = {"organizer": event.organizer.slug, "event": event.slug}
    counts = join_counts(event)
    return {
        "template": "pretix_innowerkstatt/videolinks/overview_card.html",
        "configured": notices.dates_without_url(event) is None,
        "notices": notices.event_notices(event),
        "eligible": sum(c.eligible for c in counts),
        "joined": sum(c.joined for c in counts),
        "settings_url": reverse("plugins:pretix_innowerkstatt:videolinks.settings", kwargs=kwargs),
        "joins_url": reverse("plugins:pretix_innowerkstatt:videolinks.joins", kwargs=kwargs),
    }
