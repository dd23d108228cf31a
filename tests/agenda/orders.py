"""Orders placed through pretix's own order service, as a checkout would place them."""

import datetime

from django.core import mail as djmail
from django.utils.timezone import now
from django_scopes import scope
from pretix.base.models import CartPosition, Order
from pretix.base.services.orders import _perform_order


def place_order(event, item, subevents=(None,), email="anna@example.org", attendee_emails=None, locale="de"):
    """An order with one position per date in ``subevents`` (free: paid at once); returns the order."""
    provider = "free" if not item.default_price else "manual"
    payment = {"id": "p1", "provider": provider, "max_value": None, "min_value": None, "info_data": {}}
    cart_id = f"cart-{now().timestamp()}"
    with scope(organizer=event.organizer):
        positions = []
        for index, subevent in enumerate(subevents):
            positions.append(
                CartPosition.objects.create(
                    event=event,
                    item=item,
                    price=item.default_price,
                    expires=now() + datetime.timedelta(minutes=10),
                    cart_id=cart_id,
                    subevent=subevent,
                    attendee_email=(attendee_emails or {}).get(index),
                    attendee_name_parts={"_scheme": "full", "full_name": f"Person {index}"},
                )
            )
        djmail.outbox = []
        _perform_order(
            event,
            [payment],
            [p.id for p in positions],
            email,
            locale,
            None,
            {},
            "web",
        )
        return Order.objects.filter(event=event).order_by("-pk").first()


def html_part(message):
    """The HTML body pretix sends (inside a multipart/related part, next to inline images)."""
    for content, mimetype in message.alternatives:
        if mimetype == "text/html":
            return content
        if mimetype == "multipart/related":
            for part in content.walk():
                if part.get_content_type() == "text/html":
                    return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    raise AssertionError("no HTML part")
