"""Two approvals at the same moment never get the same slot (PostgreSQL only).

The first approval is held after it locked the slot product and before it looked for a free
slot, until PostgreSQL itself reports that the second one waits for it; then both finish. Runs in
``make test-postgres``.
"""

import threading

import pytest
from django.db import connection
from django_scopes import scope, scopes_disabled
from pretix.base.models import Order
from pretix.base.services.orders import approve_order

from pretix_innowerkstatt.agenda.models import AgendaItem
from pretix_innowerkstatt.slots.domain import placement
from tests.postgres_concurrency import WAIT, backend_pid, postgres_only, second_waited_for_first  # NOQA: F401  (fixture)

from .conftest import answers_for, apply

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_approvals_at_once_get_two_different_slots(event, product, monkeypatch):
    orders = [apply(event, product.item, answers_for(f"Initiative {n}"), email=f"p{n}@example.org") for n in range(2)]
    first_holds, release = threading.Event(), threading.Event()
    pids, errors = {}, []
    original = placement.free_slots

    def free_slots_holding_the_first(slot_product):
        if not first_holds.is_set():
            first_holds.set()
            release.wait(timeout=WAIT)
        return original(slot_product)

    monkeypatch.setattr(placement, "free_slots", free_slots_holding_the_first)

    def run(name, pk):
        try:
            with scopes_disabled():
                pids[name] = backend_pid()  # its own thread, its own connection
                order = Order.objects.select_related("event__organizer").get(pk=pk)
            with scope(organizer=order.event.organizer):
                approve_order(order, send_mail=False)
        except Exception as error:  # pragma: no cover - reported below
            errors.append((name, error))
        finally:
            connection.close()

    first = threading.Thread(target=run, args=("first", orders[0].pk))
    second = threading.Thread(target=run, args=("second", orders[1].pk))
    overlapped = second_waited_for_first(first, second, first_holds, release, pids, "approval")
    assert not errors, errors
    assert overlapped, "the second approval did not wait for the first one's lock"
    with scopes_disabled():
        starts = sorted(AgendaItem.objects.filter(event=event, per_edition=True).values_list("start", flat=True))
    assert len(starts) == 2 and starts[0] != starts[1]
    assert (starts[1] - starts[0]).total_seconds() == 300
