"""The attendees of an order or a mail that get a join link, with everything a message needs."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .. import settings as names
from . import eligibility, links
from .config import MeetingConfig, access_rules, event_meeting, meetings_for_positions


@dataclass
class AttendeeAccess:
    position: object
    meeting: MeetingConfig
    window: eligibility.Window
    link: str

    @property
    def label(self):
        p = self.position
        return p.attendee_name or _("Ticket {number} ({product})").format(number=p.positionid, product=p.item.name)


def accesses(event, positions, rules=None, base=None):
    """Those of ``positions`` that get a personal link (eligible, and a meeting URL is set for them)."""
    rules = rules or access_rules(event)
    base = base or event_meeting(event)
    candidates = [p for p in positions if eligibility.gets_link(p, rules)]
    if not candidates:
        return []
    meetings = meetings_for_positions(event, candidates, base)
    result = []
    for p in candidates:
        meeting = meetings[p.pk]
        if not meeting.configured:
            continue
        p.order.event = event
        result.append(AttendeeAccess(p, meeting, eligibility.window(p, rules, event), links.join_url(p, event)))
    return result


def order_positions(order):
    """The positions of an order as eligibility needs them (product and date loaded)."""
    return list(order.positions.select_related("item", "subevent").order_by("positionid"))


def links_possible(event) -> bool:
    """Whether any ticket of ``event`` could get a link at all (settings are cached: no query)."""
    return event_meeting(event).configured or bool(event.settings.get(names.HAS_OVERRIDES, as_type=bool))


def for_order(event, order, position=None):
    """Attendees with links for an order mail or page; only ``position`` (and its add-ons) if given.

    pretix renders every registered placeholder of a mail one after another for the same order
    object, so the answer is remembered on that object for as long as the order is unchanged
    (any change to an order saves it and moves ``last_modified``).
    """
    if not links_possible(event):
        return []
    key = (
        order.status,
        order.require_approval,
        getattr(order, "valid_if_pending", False),
        order.last_modified,
        position.pk if position is not None else None,
    )
    remembered = order.__dict__.setdefault("_innowerkstatt_video_accesses", {})
    if key not in remembered:
        remembered[key] = _for_order(event, order, position)
    return remembered[key]


def _for_order(event, order, position):
    positions = order_positions(order)
    for p in positions:
        p.order = order
    if position is not None:
        positions = [p for p in positions if p.pk == position.pk or p.addon_to_id == position.pk]
    return accesses(event, positions)
