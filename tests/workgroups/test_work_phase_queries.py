"""The join POST keeps its constant query count at the work phase: not one query more, inside or outside.

Measured as in production's steady state: the event's work-phase times are kept in the process
(the first join of a minute reads them), and the ticket was checked in by an earlier join.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled
from freezegun import freeze_time

from pretix_innowerkstatt.videolinks import join_lookup
from pretix_innowerkstatt.videolinks.domain.links import join_path
from pretix_innowerkstatt.workgroups.interfaces import rooms
from tests.videolinks.conftest import MEETING_URL, make_order

from .work_phase import add_groups, add_member, add_work_phase, phase_start

INSIDE = datetime.timedelta(minutes=10)  # after the phase's start
OUTSIDE = datetime.timedelta(minutes=-40)  # before it: the main room is open


def members(event, item, groups, count):
    """``count`` tickets in orders of five, spread over the groups; returns the first."""
    first = None
    for start in range(0, count, 5):
        order = make_order(event, item, attendees=[f"Person {n}" for n in range(start, min(count, start + 5))])
        with scopes_disabled():
            for position in order.positions.order_by("positionid"):
                add_member(groups[(start + position.positionid) % len(groups)], position)
                first = first or position
    return first


def settings_committed():
    """As after the commit of the fixtures' settings: hierarkey reads them once per request, not per look-up."""
    from hierarkey.proxy import dirty_cache_keys

    dirty_cache_keys.set(set())


def post(position, at):
    """The join POST (no CSRF check: only the POST is counted) after one warming join at the same moment."""
    settings_committed()
    client = Client()
    with scopes_disabled():
        path = join_path(position)
    with freeze_time(at):
        assert client.post(path).status_code == 302  # checks the ticket in, reads the phase times
        with CaptureQueriesContext(connection) as queries:
            response = client.post(path)
    assert response.status_code == 302
    return len(queries), response["Location"]


def counted_post(position, at, expected, django_assert_num_queries):
    settings_committed()
    client = Client()
    with scopes_disabled():
        path = join_path(position)
    with freeze_time(at):
        client.post(path)
        with django_assert_num_queries(expected):
            response = client.post(path)
    return response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("group_count,member_count", [(1, 1), (10, 100)])
def test_the_join_post_costs_not_one_query_more_inside_the_work_phase_or_outside(
    video_event, item, group_count, member_count, django_assert_num_queries
):
    # Without any groups: the join POST as it always was.
    order = make_order(video_event, item, attendees=("Nobody in a group",))
    with scopes_disabled():
        plain = order.positions.get()
    phase = phase_start(video_event)
    baseline, location = post(plain, phase + INSIDE)
    assert location == MEETING_URL

    work_item = add_work_phase(video_event)
    urls = [f"https://meet.example.org/group-{n}" for n in range(group_count)]
    groups = add_groups(work_item, count=group_count, urls=urls)
    member = members(video_event, item, groups, member_count)
    with scopes_disabled():
        member_group = member.innowerkstatt_work_group_member.group

    # Outside the work phase: not a single query more, for members and others alike.
    assert counted_post(member, phase + OUTSIDE, baseline, django_assert_num_queries) == MEETING_URL
    # Inside: the join's lookup has read the ticket's group along with the ticket.
    inside = counted_post(member, phase + INSIDE, baseline, django_assert_num_queries)
    assert inside == member_group.meeting_url
    assert counted_post(plain, phase + INSIDE, baseline, django_assert_num_queries) == MEETING_URL


@pytest.mark.django_db
def test_an_event_without_groups_pays_nothing_even_on_the_first_join_of_a_process(video_event, item):
    order = make_order(video_event, item, attendees=("Ada Lovelace",))
    with scopes_disabled():
        position = order.positions.get()
        path = join_path(position)
    settings_committed()
    rooms.forget_all()  # a fresh process
    with freeze_time(phase_start(video_event) + INSIDE), CaptureQueriesContext(connection) as queries:
        assert Client().post(path)["Location"] == MEETING_URL
    lookup, __ = join_lookup.compiled(connection)  # reads the ticket's group along (a LEFT JOIN)
    lookup = lookup.split(" WHERE ")[0]  # as captured: parameters in place, pretix's comment removed
    others = [q["sql"] for q in queries.captured_queries if lookup not in re.sub(r"/\*.*?\*/ ", "", q["sql"])]
    assert not [sql for sql in others if '"pretix_innowerkstatt_' in sql]
    assert len(others) < len(queries.captured_queries)  # the lookup was among them


@pytest.mark.django_db
def test_the_event_knows_without_a_query_whether_it_has_groups(video_event):
    def has_groups():
        with scopes_disabled():
            fresh = type(video_event).objects.get(pk=video_event.pk)
            return fresh.settings.get(rooms.HAS_GROUPS, as_type=bool)

    assert has_groups() is False
    first, second = add_groups(add_work_phase(video_event), count=2)
    assert has_groups() is True
    with scopes_disabled():
        first.delete()
    assert has_groups() is True
    with scopes_disabled():
        second.delete()
    assert has_groups() is False
