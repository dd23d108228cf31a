"""Two buyers racing for the last place of a group never both get it (PostgreSQL only).

SQLite serialises writers for the whole database, so the race cannot happen there; on
PostgreSQL the group step (holding the place) and the order placement (a place not held) lock
the chosen group's row before counting its taken places. The overlap is made certain: the first
buyer is held inside its transaction, group locked and places counted, until PostgreSQL reports
that the second buyer waits for that lock. Runs in ``make test-postgres``.
"""

import threading

import pytest
from django.db import connection
from django_scopes import scopes_disabled
from pretix.base.models import Order
from pretix.base.services.orders import OrderError

from pretix_innowerkstatt.workgroups.domain import membership
from pretix_innowerkstatt.workgroups.models import WorkGroupHold, WorkGroupMember
from tests.postgres_concurrency import WAIT, backend_pid, postgres_only, second_waited_for_first  # NOQA: F401  (fixture)

from .conftest import cart, make_groups, place_order

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def first_pauses_after_counting(monkeypatch):
    """The thread named "first" waits, groups locked and places counted, until ``release`` is set."""
    first_counted, release = threading.Event(), threading.Event()
    original_counts = membership.taken_places

    def counts_then_hold(group_ids, **kwargs):
        counts = original_counts(group_ids, **kwargs)
        if threading.current_thread().name == "first":
            first_counted.set()
            release.wait(timeout=WAIT)
        return counts

    monkeypatch.setattr(membership, "taken_places", counts_then_hold)
    return first_counted, release


def test_two_buyers_for_the_last_place_one_gets_it_the_other_is_told_it_is_full(event, item, work_item, monkeypatch):
    (group,) = make_groups(work_item, capacity=1, names=["Challenge 1"])
    first_counted, release = first_pauses_after_counting(monkeypatch)
    pids, results = {}, {}

    def buy():
        name = threading.current_thread().name
        try:
            pids[name] = backend_pid()
            results[name] = place_order(event, item, choices={1: group}, email=f"{name}@example.org")
        except OrderError as error:
            results[name] = error
        finally:
            connection.close()

    first = threading.Thread(target=buy, name="first")
    second = threading.Thread(target=buy, name="second")
    blocked_in = second_waited_for_first(first, second, first_counted, release, pids, "buyer")

    # Overlap proven by PostgreSQL: the second buyer waited for the first one's lock on the group.
    assert blocked_in is not None, "the second buyer never waited for the first one"
    assert blocked_in.startswith('SELECT "pretix_innowerkstatt_workgroup"')  # the locking read (text cut short)
    assert isinstance(results["first"], Order)
    assert isinstance(results["second"], OrderError)
    assert "is full" in str(results["second"])
    with scopes_disabled():
        assert WorkGroupMember.objects.filter(group=group).count() == 1
        assert not Order.objects.filter(email="second@example.org").exists()


def test_many_buyers_at_once_never_overfill_a_group(event, item, work_item):
    (group,) = make_groups(work_item, capacity=2, names=["Challenge 1"])
    outcomes = []
    start = threading.Barrier(6)

    def buy(n):
        try:
            start.wait(timeout=WAIT)
            place_order(event, item, choices={1: group}, email=f"buyer{n}@example.org")
            outcomes.append("placed")
        except OrderError as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=buy, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert outcomes.count("placed") == 2, outcomes
    assert all("is full" in o for o in outcomes if o != "placed"), outcomes
    with scopes_disabled():
        assert WorkGroupMember.objects.filter(group=group).count() == 2


def test_two_buyers_choosing_the_last_place_at_the_group_step_one_holds_it_the_other_is_told_it_is_full(
    event, item, work_item, monkeypatch
):
    (group,) = make_groups(work_item, capacity=1, names=["Challenge 1"])
    carts = {name: cart(event, item, cart_id=name)[0] for name in ("first", "second")}
    first_counted, release = first_pauses_after_counting(monkeypatch)
    pids, results = {}, {}

    def choose():
        name = threading.current_thread().name
        try:
            pids[name] = backend_pid()
            with scopes_disabled():
                results[name] = membership.hold_places(event, {carts[name]: group})
        except membership.GroupFull as error:
            results[name] = error
        finally:
            connection.close()

    first = threading.Thread(target=choose, name="first")
    second = threading.Thread(target=choose, name="second")
    blocked_in = second_waited_for_first(first, second, first_counted, release, pids, "buyer")

    assert blocked_in is not None, "the second buyer never waited for the first one"
    assert blocked_in.startswith('SELECT "pretix_innowerkstatt_workgroup"')  # the locking read (text cut short)
    assert results["first"] == {carts["first"].pk: results["first"][carts["first"].pk]}
    assert isinstance(results["second"], membership.GroupFull)
    with scopes_disabled():
        assert list(WorkGroupHold.objects.values_list("cart_position_id", flat=True)) == [carts["first"].pk]
