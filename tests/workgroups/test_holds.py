"""Places held at the checkout's group step, as pretix holds quota for the tickets in a cart."""

import datetime

import pytest
from django.utils import translation
from django.utils.timezone import now
from django_scopes import scopes_disabled
from pretix.base.signals import periodic_task

from pretix_innowerkstatt.workgroups.domain.membership import (
    GroupError,
    GroupFull,
    assign_rest,
    choose_group,
    hold_places,
    taken_places,
)
from pretix_innowerkstatt.workgroups.models import WorkGroupHold

from .conftest import cart, make_groups, place_order, work_phase

pytestmark = pytest.mark.django_db


def hold(event, choices):
    with scopes_disabled(), translation.override("en"):
        return hold_places(event, choices)


def taken(group, **kwargs):
    with scopes_disabled():
        return taken_places([group.pk], **kwargs)[group.pk]


@pytest.fixture
def last_place(work_item):
    (group,) = make_groups(work_item, capacity=1, names=["Challenge 1"])
    return group


def test_a_held_place_counts_for_everyone_but_its_own_cart(event, item, last_place):
    (mine,) = cart(event, item)
    hold(event, {mine: last_place})
    assert taken(last_place) == 1
    assert taken(last_place, except_cart_positions=[mine.pk]) == 0  # the buyer may choose it again
    (theirs,) = cart(event, item)
    with pytest.raises(GroupFull, match="is full"):
        hold(event, {theirs: last_place})
    with scopes_disabled():
        assert list(WorkGroupHold.objects.values_list("cart_position_id", flat=True)) == [mine.pk]


def test_choosing_again_replaces_the_hold_and_assign_me_holds_nothing(event, item, groups):
    (mine,) = cart(event, item)
    hold(event, {mine: groups[0]})
    hold(event, {mine: groups[1]})
    assert [taken(g) for g in groups] == [0, 1, 0]
    hold(event, {mine: None})
    assert [taken(g) for g in groups] == [0, 0, 0]


def test_a_full_group_at_the_step_changes_nothing(event, item, work_item):
    free, full = make_groups(work_item, capacity=1, names=["Challenge 1", "Challenge 2"])
    place_order(event, item, choices={1: full})
    (mine,) = cart(event, item)
    hold(event, {mine: free})
    (other,) = cart(event, item)
    with pytest.raises(GroupFull):
        hold(event, {mine: free, other: full})  # the buyer's earlier hold stays as it was
    with scopes_disabled():
        assert list(WorkGroupHold.objects.values_list("cart_position_id", "group")) == [(mine.pk, free.pk)]


def test_a_ticket_removed_from_the_cart_or_a_hold_that_ran_out_frees_the_place(event, item, last_place):
    first, second = cart(event, item, 2)
    hold(event, {first: last_place})
    with scopes_disabled():
        first.delete()  # removed from the cart
    assert taken(last_place) == 0
    hold(event, {second: last_place})
    with scopes_disabled():
        WorkGroupHold.objects.update(expires=now() - datetime.timedelta(seconds=1))
    assert taken(last_place) == 0


def test_the_order_page_and_assigning_the_rest_leave_held_places_alone(event, item, last_place):
    (mine,) = cart(event, item)
    hold(event, {mine: last_place})
    order = place_order(event, item, 2, email="assign-me@example.org")
    with scopes_disabled():
        first = order.positions.order_by("positionid").first()
        with pytest.raises(GroupFull):
            choose_group(first, last_place)
        assert assign_rest(event) == 0
        assert not last_place.members.exists()


def test_a_group_of_another_date_cannot_be_held(event, item, organizer):
    from pretix.base.models import SubEvent

    with scopes_disabled():
        event.has_subevents = True
        event.save()
        first = SubEvent.objects.create(event=event, name="Erster", date_from=event.date_from, active=True)
        second = SubEvent.objects.create(event=event, name="Zweiter", date_from=event.date_from, active=True)
    (group,) = make_groups(work_phase(event, subevent=first), names=["Challenge 1"])
    (ticket,) = cart(event, item, subevent=second)
    with pytest.raises(GroupError, match="does not belong to the date"):
        hold(event, {ticket: group})
    with scopes_disabled():
        assert not WorkGroupHold.objects.exists()


def test_pretix_periodic_task_deletes_holds_a_day_after_they_ran_out(event, item, groups):
    recent, old = cart(event, item, 2)
    hold(event, {recent: groups[0], old: groups[1]})
    with scopes_disabled():
        WorkGroupHold.objects.filter(cart_position_id=recent.pk).update(expires=now() - datetime.timedelta(hours=1))
        WorkGroupHold.objects.filter(cart_position_id=old.pk).update(expires=now() - datetime.timedelta(days=2))
    periodic_task.send(sender=None)
    with scopes_disabled():
        assert list(WorkGroupHold.objects.values_list("cart_position_id", flat=True)) == [recent.pk]
