"""Choosing, moving and assigning groups: capacity, dates, cancellations, the order log."""

import datetime

import pytest
from django_scopes import scopes_disabled
from pretix.base.models import Order
from pretix.base.services.orders import OrderError

from pretix_innowerkstatt.workgroups.domain.managing import change_group, delete_group
from pretix_innowerkstatt.workgroups.domain.membership import (
    GroupError,
    GroupFull,
    assign_rest,
    choose_group,
    move_member,
)
from pretix_innowerkstatt.workgroups.domain.scheduling import assign_rest_when_due
from pretix_innowerkstatt.workgroups.domain.selection import group_of, groups_of_date
from pretix_innowerkstatt.workgroups.models import WorkGroupMember

from .conftest import make_groups, place_order, work_phase

pytestmark = pytest.mark.django_db


def counts(event):
    with scopes_disabled():
        return {str(g.name): g.member_count for g in groups_of_date(event)}


def test_choice_at_checkout_puts_the_ticket_in_the_group_and_logs_it_on_the_order(event, item, groups):
    order = place_order(event, item, 2, choices={1: groups[0], 2: groups[1]})
    with scopes_disabled():
        first, second = order.positions.order_by("positionid")
        assert group_of(first) == groups[0]
        assert group_of(second) == groups[1]
        lines = [str(entry.display()) for entry in order.all_logentries()]
    assert "Ticket #1 has chosen the work-phase group “Challenge 1: Ehrenamt digital organisieren”." in lines


def test_full_group_at_order_placement_fails_the_order_and_keeps_the_group_at_capacity(event, item, work_item):
    (group,) = make_groups(work_item, capacity=1, names=["Challenge 1"])
    place_order(event, item, choices={1: group})
    with pytest.raises(OrderError, match="is full"):
        place_order(event, item, choices={1: group}, email="second@example.org")
    with scopes_disabled():
        assert Order.objects.filter(email="second@example.org").count() == 0
    assert counts(event) == {"Challenge 1": 1}


def test_attendee_cannot_choose_a_full_group_but_an_organiser_may_overfill_it(event, item, work_item):
    (group,) = make_groups(work_item, capacity=1, names=["Challenge 1"])
    place_order(event, item, choices={1: group})
    order = place_order(event, item)
    with scopes_disabled():
        position = order.positions.get()
        with pytest.raises(GroupFull):
            choose_group(position, group)
        assert move_member(position, group) is True  # over capacity: the page warns
    assert counts(event) == {"Challenge 1": 2}


def test_group_of_another_date_is_refused(event, item, work_item, organizer):
    with scopes_disabled():
        event.has_subevents = True
        event.save()
        date = event.subevents.create(name="Q2", date_from=event.date_from + datetime.timedelta(days=90), active=True)
        other = make_groups(work_phase(event, date))
    order = place_order(event, item)
    with scopes_disabled():
        with pytest.raises(GroupError, match="does not belong to the date"):
            choose_group(order.positions.get(), other[0])


def test_cancelled_ticket_frees_its_place(event, item, work_item):
    from pretix.base.services.orders import cancel_order

    (group,) = make_groups(work_item, capacity=1, names=["Challenge 1"])
    order = place_order(event, item, choices={1: group})
    with scopes_disabled():
        cancel_order(order.pk)
        assert not WorkGroupMember.objects.filter(position__order=order).exists()
    assert counts(event) == {"Challenge 1": 0}
    place_order(event, item, choices={1: group}, email="next@example.org")
    assert counts(event) == {"Challenge 1": 1}


def test_capacity_below_members_is_refused_and_nothing_changes(event, item, groups):
    place_order(event, item, 2, choices={1: groups[0], 2: groups[0]})
    with scopes_disabled():
        with pytest.raises(GroupError, match="2 people are in this group already"):
            change_group(groups[0], capacity=1)
        groups[0].refresh_from_db()
        assert groups[0].capacity == 15


def test_deleting_a_group_moves_its_members_to_the_chosen_group(event, item, groups):
    order = place_order(event, item, 2, choices={1: groups[0], 2: groups[0]})
    with scopes_disabled():
        assert delete_group(groups[0], move_to=groups[1]) == 2
        assert {group_of(p) for p in order.positions.all()} == {groups[1]}


def test_assign_the_rest_fills_the_least_full_groups_and_is_idempotent(event, item, groups):
    place_order(event, item, 2, choices={1: groups[0], 2: groups[0]})
    place_order(event, item, 4, email="rest@example.org")
    with scopes_disabled():
        assert assign_rest(event) == 4
        assert assign_rest(event) == 0
    assert sorted(counts(event).values()) == [2, 2, 2]


def test_automatic_assignment_runs_only_within_the_lead_time_before_the_work_phase(event, item, groups, work_item):
    place_order(event, item, 3)
    with scopes_disabled():
        assert assign_rest_when_due(at=work_item.start - datetime.timedelta(minutes=31)) == 0
        assert assign_rest_when_due(at=work_item.start - datetime.timedelta(minutes=29)) == 3
        assert assign_rest_when_due(at=work_item.start - datetime.timedelta(minutes=20)) == 0
        chosen_by = set(WorkGroupMember.objects.values_list("chosen_by", flat=True))
    assert chosen_by == {WorkGroupMember.CHOSEN_BY_AUTOMATIC}


def test_a_single_cancelled_ticket_frees_its_place_and_the_other_keeps_its_group(event, item, groups):
    from pretix.base.services.orders import OrderChangeManager

    order = place_order(event, item, 2, choices={1: groups[0], 2: groups[0]})
    with scopes_disabled():
        first, second = order.positions.order_by("positionid")
        manager = OrderChangeManager(order, notify=False)
        manager.cancel(second)
        manager.commit()
        assert group_of(first) == groups[0]
        assert not WorkGroupMember.objects.filter(position=second).exists()
    assert counts(event)["Challenge 1: Ehrenamt digital organisieren"] == 1


def test_membership_goes_with_its_ticket_when_pretix_deletes_a_test_mode_order(event, item, groups):
    from django.db import transaction

    order = place_order(event, item, choices={1: groups[0]})
    with scopes_disabled(), transaction.atomic():
        Order.objects.filter(pk=order.pk).update(testmode=True)
        order.refresh_from_db()
        order.gracefully_delete()
    with scopes_disabled():
        assert not WorkGroupMember.objects.exists()
    assert counts(event)["Challenge 1: Ehrenamt digital organisieren"] == 0


def test_pretix_periodic_task_assigns_the_rest_shortly_before_the_work_phase(event, item, groups, work_item):
    from django.utils.timezone import now
    from pretix.base.signals import periodic_task

    with scopes_disabled():
        work_item.start = now() + datetime.timedelta(minutes=10)
        work_item.end = work_item.start + datetime.timedelta(minutes=50)
        work_item.save()
    place_order(event, item, 2)
    periodic_task.send(sender=None)
    assert sorted(counts(event).values()) == [0, 1, 1]


def cache_tickets(order) -> None:
    """Rendered PDF tickets as pretix keeps them until told otherwise."""
    from pretix.base.models.orders import CachedCombinedTicket, CachedTicket

    with scopes_disabled():
        for position in order.positions.all():
            CachedTicket.objects.create(
                order_position=position, provider="pdf", type="application/pdf", extension="pdf"
            )
        CachedCombinedTicket.objects.create(order=order, provider="pdf", type="application/pdf", extension="pdf")


def cached_tickets(order) -> int:
    from pretix.base.models.orders import CachedCombinedTicket, CachedTicket

    with scopes_disabled():
        return (
            CachedTicket.objects.filter(order_position__order=order).count()
            + CachedCombinedTicket.objects.filter(order=order).count()
        )


@pytest.mark.parametrize("change", ["choose", "move", "leave", "assign the rest", "delete with move"])
def test_a_group_change_makes_pretix_render_the_orders_pdf_tickets_anew(
    event, item, groups, change, django_capture_on_commit_callbacks
):
    order = place_order(event, item, choices={} if change == "assign the rest" else {1: groups[0]})
    other = place_order(event, item, choices={1: groups[2]}, email="other@example.org")
    cache_tickets(order)
    cache_tickets(other)
    assert cached_tickets(order) == 2
    with scopes_disabled(), django_capture_on_commit_callbacks(execute=True):
        position = order.positions.get()
        if change == "choose":
            choose_group(position, groups[1])
        elif change == "move":
            move_member(position, groups[1])
        elif change == "leave":
            choose_group(position, None)
        elif change == "assign the rest":
            assert assign_rest(event) == 1
        else:
            delete_group(groups[0], move_to=groups[1])
    assert cached_tickets(order) == 0  # the next download prints the new group
    assert cached_tickets(other) == 2  # other orders keep theirs
