"""Shopping carts as pretix's checkout leaves them before the order is placed."""

import datetime

from django.utils.timezone import now
from django_scopes import scopes_disabled
from pretix.base.models import CartPosition, Order


def cart(event, item, attendees, *, subevent=None, cart_id=None) -> list[CartPosition]:
    """One ticket of ``item`` per ``(name, email or None)`` of ``attendees`` in a new cart (or ``cart_id``).

    The tickets are reserved for 10 minutes, as pretix reserves a cart's quota.
    """
    with scopes_disabled():
        cart_id = cart_id or f"cart-{CartPosition.objects.count()}-{Order.objects.count()}-{now().timestamp()}"
        return [
            CartPosition.objects.create(
                event=event,
                item=item,
                subevent=subevent,
                price=item.default_price,
                cart_id=cart_id,
                expires=now() + datetime.timedelta(minutes=10),
                attendee_name_parts={"_legacy": name},
                attendee_email=email,
            )
            for name, email in attendees
        ]
