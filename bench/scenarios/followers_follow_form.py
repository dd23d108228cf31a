"""The follow form POST beside pretix's own "resend order link" form POST (goal <= 1.2x).

Both take an address, check pretix's rate limit and send one mail through pretix's mail system:
the resend form to an address with an order, the follow form to a new address each time (a new
pending follower and its confirmation mail, the heavier case).
"""

import itertools

from django.db import transaction
from django.test import Client
from django_scopes import scopes_disabled

from bench.harness import Scenario
from bench.scenarios.followers_announce import public_format

_counter = itertools.count()


def setup():
    from pretix.base.models import Order

    with scopes_disabled(), transaction.atomic():
        event, __ = public_format("bench-follow-form")
        order = Order.objects.create(
            event=event,
            email="buyer@example.org",
            status=Order.STATUS_PAID,
            total=0,
            locale="de",
            sales_channel=event.organizer.sales_channels.get(identifier="web"),
        )
        order.create_transactions()
    base = f"/{event.organizer.slug}"
    return {
        "client": Client(),
        "resend": f"{base}/{event.slug}/resend/",
        "follow": f"{base}/innowerkstatt/formats/innowerkstatt/",
    }


def baseline(ctx):
    response = ctx["client"].post(ctx["resend"], {"email": "buyer@example.org"})
    assert response.status_code == 302, response.status_code


def candidate(ctx):
    email = f"new{next(_counter)}@example.org"
    response = ctx["client"].post(ctx["follow"], {"email": email, "locale": "en", "consent": "on"})
    assert response.status_code == 302, response.status_code


SCENARIOS = [
    Scenario(
        name="followers: follow form POST vs. pretix resend-link POST",
        setup=setup,
        baseline=baseline,
        candidate=candidate,
        goal=1.2,
    )
]
