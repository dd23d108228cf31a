"""Work phases, groups and real orders for the work-phase group tests."""

import datetime
import inspect

import pytest
from django_scopes import scopes_disabled
from pretix.base.models import CartPosition, Order

from pretix_innowerkstatt.agenda.models import AgendaItem
from pretix_innowerkstatt.videolinks.domain.config import configure_event
from pretix_innowerkstatt.workgroups.domain.managing import create_group
from pretix_innowerkstatt.workgroups.interfaces import rooms
from pretix_innowerkstatt.workgroups.models import WorkGroup
from tests import carts
from tests.videolinks.conftest import MEETING_URL

CHALLENGES = (
    "Challenge 1: Ehrenamt digital organisieren",
    "Challenge 2: Verwaltungsdaten offen nutzen",
    "Challenge 3: Beteiligung im ländlichen Raum",
)


@pytest.fixture(autouse=True)
def no_remembered_phases():
    """Each test starts without the work phases a web process remembers between joins."""
    rooms.forget_all()
    yield
    rooms.forget_all()


@pytest.fixture
def video_event(event):
    """The event with a meeting URL; joining opens 30 minutes before the start."""
    with scopes_disabled():
        configure_event(event, url=MEETING_URL, opens_minutes_before=30)
    return event


def work_phase(event, subevent=None):
    """The "Arbeitsphase" 19:10–20:00 of the event or date."""
    with scopes_disabled():
        start = (subevent or event).date_from
        return AgendaItem.objects.create(
            event=event,
            subevent=subevent,
            start=start + datetime.timedelta(minutes=70),
            end=start + datetime.timedelta(minutes=120),
            title={"de": "Arbeitsphase", "en": "Work phase"},
            kind=AgendaItem.KIND_WORK,
        )


def make_groups(item, capacity=15, names=CHALLENGES) -> list[WorkGroup]:
    with scopes_disabled():
        return [create_group(item, name={"de": name, "en": name}, capacity=capacity) for name in names]


@pytest.fixture
def work_item(event):
    return work_phase(event)


@pytest.fixture
def groups(work_item):
    return make_groups(work_item)


def cart(event, item, count=1, *, subevent=None, cart_id=None) -> list[CartPosition]:
    """``count`` tickets of ``item`` in a new shopping cart (or the cart ``cart_id``)."""
    attendees = [(f"Person {i}", None) for i in range(count)]
    return carts.cart(event, item, attendees, subevent=subevent, cart_id=cart_id)


def place_order(event, item, count=1, *, choices=None, subevent=None, email="buyer@example.org", held=False):
    """A real order through pretix's order placement (cart → order), ``choices``: {positionid: group}.

    The choices travel as the checkout passes them: in the order's ``meta_info``. ``held``: the
    group step held the chosen places first (as in the shop); otherwise they are checked at
    placement, as for a hold that ran out.
    """
    from pretix.base.services.orders import _perform_order

    from pretix_innowerkstatt.workgroups.domain.membership import hold_places
    from pretix_innowerkstatt.workgroups.interfaces.checkout import META_HOLDS_KEY, META_KEY

    positions = cart(event, item, count, subevent=subevent)
    with scopes_disabled():
        meta = {}
        if choices:
            meta[META_KEY] = {str(pid): (g.pk if g else None) for pid, g in choices.items()}
        if choices and held:
            numbered = dict(enumerate(sorted(positions, key=lambda c: c.sort_key), start=1))
            holds = hold_places(event, {numbered[pid]: g for pid, g in choices.items()})
            meta[META_HOLDS_KEY] = {str(pid): holds[numbered[pid].pk] for pid, g in choices.items() if g}
        payment = {
            "id": "p0",
            "provider": "free" if not item.default_price else "banktransfer",
            "max_value": None,
            "min_value": None,
            "multi_use_supported": False,
            "info_data": {},
        }
        extra = {"cart_id": positions[0].cart_id} if "cart_id" in inspect.signature(_perform_order).parameters else {}
        result = _perform_order(event, [payment], [p.id for p in positions], email, "en", None, meta, "web", **extra)
        return Order.objects.get(pk=result["order_id"])
