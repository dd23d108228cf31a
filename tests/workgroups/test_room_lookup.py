"""The work phase's group lookup on the join POST: read along with the ticket, as the ORM finds it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from pretix_innowerkstatt.videolinks.join_lookup import find_position_by_slugs
from pretix_innowerkstatt.workgroups.domain.membership import move_member
from pretix_innowerkstatt.workgroups.domain.selection import ROOM_PART, group_of, room_group_of
from pretix_innowerkstatt.workgroups.models import WorkGroup
from tests.videolinks.conftest import MEETING_URL, make_order

from .work_phase import GROUP_URLS, add_groups, add_member, add_work_phase, join_at, phase_start, ticket_in

INSIDE = datetime.timedelta(minutes=10)  # after the work phase's start


@pytest.fixture
def groups(video_event):
    return add_groups(add_work_phase(video_event), room_name="werkstatt-gruppe")


@pytest.fixture
def ada(item, groups):
    return ticket_in(groups[1], item)


@pytest.mark.django_db
def test_the_room_lookup_loads_the_group_as_the_orm_does(ada, groups):
    with CaptureQueriesContext(connection) as queries:
        found = room_group_of(ada)
    assert len(queries) == 1
    with scopes_disabled():
        stored = WorkGroup.objects.get(pk=groups[1].pk)
    assert [getattr(found, f.attname) for f in ROOM_PART.fields] == [
        getattr(stored, f.attname) for f in ROOM_PART.fields
    ]
    assert str(found.name) == "Challenge 2"  # the multilingual field, converted as the ORM does
    assert found.meeting_url == GROUP_URLS[1] and found.room_name == "werkstatt-gruppe"
    assert not found._state.adding
    with scopes_disabled():
        assert str(found.description) == "What challenge 2 is about"  # not loaded: reads on access
        assert found == group_of(ada)


def find(position):
    order = position.order
    return find_position_by_slugs(order.event.organizer.slug, order.event.slug, order.code, position.positionid)


@pytest.mark.django_db
def test_the_joins_lookup_reads_the_group_along_so_the_room_costs_no_query(video_event, item, ada, groups):
    with scopes_disabled():
        assign_me = make_order(video_event, item, attendees=("Bob",)).positions.get()
    found_ada, found_bob = find(ada), find(assign_me)
    with CaptureQueriesContext(connection) as queries:
        group = room_group_of(found_ada)
        assert room_group_of(found_bob) is None
    assert len(queries) == 0
    assert group == groups[1] and group.meeting_url == GROUP_URLS[1] and str(group.name) == "Challenge 2"
    assert [getattr(group, f.attname) for f in ROOM_PART.fields] == [
        getattr(room_group_of(ada), f.attname)
        for f in ROOM_PART.fields  # its own statement
    ]


@pytest.mark.django_db
def test_assign_me_cancelled_and_unsaved_tickets_have_no_group_room(video_event, item, groups):
    order = make_order(video_event, item, attendees=("Ada", "Bob", "Cleo"))
    with scopes_disabled():
        assign_me, cancelled, member = order.positions.order_by("positionid")
        add_member(groups[0], cancelled)
        add_member(groups[0], member)
        cancelled.canceled = True
        cancelled.save()
        sample = type(member)(order=order, item=item, positionid=9)  # the backend's sample ticket
    assert room_group_of(assign_me) is None
    assert room_group_of(cancelled) is None
    assert room_group_of(sample) is None
    assert room_group_of(member) == groups[0]


@pytest.mark.django_db
def test_an_organisers_move_during_the_work_phase_takes_the_next_join_into_the_new_room(ada, groups):
    at = phase_start(ada.order.event) + INSIDE
    assert join_at(ada, at)["Location"] == GROUP_URLS[1]
    with scopes_disabled():
        move_member(ada, groups[2])
    assert join_at(ada, at)["Location"] == GROUP_URLS[2]
    with scopes_disabled():
        move_member(ada, None)  # back to "assign me": the main room
    assert join_at(ada, at)["Location"] == MEETING_URL


on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="prepared statements are PostgreSQL's (DJANGO_SETTINGS_MODULE=tests.settings_postgres)",
)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_postgresql_prepares_the_group_lookup_beside_the_join_lookup_on_one_connection(ada):
    with CaptureQueriesContext(connection) as queries:
        for _ in range(2):
            assert room_group_of(find(ada)).meeting_url == GROUP_URLS[1]  # read along: no statement
            assert room_group_of(ada).meeting_url == GROUP_URLS[1]  # a ticket found otherwise
    assert [q["sql"].split("*/")[-1].split()[0] for q in queries] == [
        "PREPARE",
        "EXECUTE",
        "PREPARE",
        "EXECUTE",
        "EXECUTE",
        "EXECUTE",
    ]
