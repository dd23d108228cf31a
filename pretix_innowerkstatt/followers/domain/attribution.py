"""Orders that came from an announcement: the shop link's signed token, stored on the order.

The shop link of an announcement carries ``?innowerkstatt_ref=<signed announcement number>``.
The shop keeps it in the visitor's session; pretix copies it into the order's ``meta_info``
when the order is placed (``order_meta_from_request``), and the ``order_placed`` receiver turns
it into an ``Attribution`` row. No cookies of our own, no tracking pixels, no utm parameters.
"""

from ..models import Announcement, Attribution
from . import tokens

META_KEY = "innowerkstatt_followers_ref"
SESSION_KEY = "innowerkstatt_followers_ref_{event}"


def remember(session, event, token: str) -> None:
    if tokens.announcement_of(token) is not None:
        session[SESSION_KEY.format(event=event.pk)] = token


def meta_of(session, event) -> dict:
    token = session.get(SESSION_KEY.format(event=event.pk))
    return {META_KEY: token} if token else {}


def attribute(order) -> Attribution | None:
    """Record that ``order`` came from an announcement of its edition, if its token is valid."""
    token = order.meta_info_data.get(META_KEY)
    pk = tokens.announcement_of(token) if token else None
    if pk is None:
        return None
    announcement = Announcement.objects.filter(pk=pk, edition__event=order.event).select_related("edition").first()
    if announcement is None:
        return None
    date = announcement.edition.subevent_id
    if date and not order.positions.filter(subevent_id=date).exists():
        return None  # an announcement of one date of a series, and an order for other dates
    attribution, __ = Attribution.objects.get_or_create(
        order=order, defaults={"edition": announcement.edition, "announcement": announcement}
    )
    return attribution
