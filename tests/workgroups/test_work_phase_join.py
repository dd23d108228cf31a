"""At the work phase the join link leads into the ticket's group room; before and after into the main room."""

import datetime
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from django.test import Client
from django_scopes import scopes_disabled
from pretix.base.models import Order

from pretix_innowerkstatt.videolinks.domain.config import configure_event
from pretix_innowerkstatt.workgroups.interfaces import rooms
from tests.videolinks.conftest import MEETING_URL, make_order

from .work_phase import GROUP_URLS, add_groups, add_member, add_work_phase, join_at, page_at, phase_start, ticket_in

APP_SECRET = "jitsi-app-secret-for-group-tests-0123456789"
APP_ID = "innowerkstatt"


@pytest.fixture
def work_item(video_event):
    return add_work_phase(video_event)


@pytest.fixture
def groups(work_item):
    return add_groups(work_item)


@pytest.fixture
def ada(item, groups):
    return ticket_in(groups[0], item)


def minutes(n):
    return datetime.timedelta(minutes=n)


@pytest.mark.django_db
def test_inside_the_work_phase_the_join_leads_into_the_group_room(ada):
    start = phase_start(ada.order.event)
    response = join_at(ada, start + minutes(10))
    assert response.status_code == 302
    assert response["Location"] == GROUP_URLS[0]
    assert response["Referrer-Policy"] == "no-referrer"


@pytest.mark.django_db
def test_before_and_after_the_work_phase_the_join_leads_into_the_main_room(ada):
    event = ada.order.event
    start = phase_start(event)
    assert join_at(ada, start - minutes(6))["Location"] == MEETING_URL
    assert join_at(ada, event.date_to)["Location"] == MEETING_URL  # the phase ends with the event at 20:00
    assert join_at(ada, event.date_to + minutes(20))["Location"] == MEETING_URL


@pytest.mark.django_db
def test_the_group_room_opens_five_minutes_before_the_work_phase_by_default(ada):
    start = phase_start(ada.order.event)
    assert join_at(ada, start - minutes(5))["Location"] == GROUP_URLS[0]
    assert join_at(ada, start - minutes(5) - datetime.timedelta(seconds=1))["Location"] == MEETING_URL


@pytest.mark.django_db
def test_the_lead_time_is_a_setting_of_the_event(ada):
    event = ada.order.event
    with scopes_disabled():
        event.settings.set(rooms.ROOM_MINUTES_BEFORE, 0)
    start = phase_start(event)
    assert join_at(ada, start - minutes(1))["Location"] == MEETING_URL
    assert join_at(ada, start)["Location"] == GROUP_URLS[0]


@pytest.mark.django_db
def test_each_member_gets_their_own_groups_room(video_event, item, groups, ada):
    order = make_order(video_event, item, attendees=("Grace Hopper", "Alan Turing"))
    with scopes_disabled():
        grace, alan = order.positions.order_by("positionid")
    add_member(groups[1], grace)
    at = phase_start(video_event) + minutes(1)
    assert join_at(grace, at)["Location"] == GROUP_URLS[1]
    assert join_at(ada, at)["Location"] == GROUP_URLS[0]
    # "Assign me" and not assigned yet: the main room.
    assert join_at(alan, at)["Location"] == MEETING_URL


@pytest.mark.django_db
def test_a_group_without_its_own_url_keeps_its_members_in_the_main_room(video_event, item, work_item):
    (group,) = add_groups(work_item, count=1, urls=())
    position = ticket_in(group, item)
    assert join_at(position, phase_start(video_event) + minutes(1))["Location"] == MEETING_URL


@pytest.mark.django_db
def test_a_group_url_that_is_no_web_address_is_never_a_redirect_target(video_event, item, work_item):
    (group,) = add_groups(work_item, count=1, urls=("javascript:alert(1)//https://x",))
    position = ticket_in(group, item)
    assert join_at(position, phase_start(video_event) + minutes(1))["Location"] == MEETING_URL


@pytest.mark.django_db
def test_the_join_page_names_the_group_only_while_the_group_room_applies(ada):
    start = phase_start(ada.order.event)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    inside = page_at(ada, start + minutes(10), client).content.decode()
    assert "Join your group: Challenge 1" in inside
    assert GROUP_URLS[0] not in inside and MEETING_URL not in inside
    before = page_at(ada, start - minutes(30), client).content.decode()
    assert "Join your group" not in before
    assert "innowerkstatt-join-room" not in before


@pytest.mark.django_db
def test_the_join_page_speaks_german(ada):
    body = page_at(ada, phase_start(ada.order.event) + minutes(10), Client(HTTP_ACCEPT_LANGUAGE="de")).content
    assert "Zu Ihrer Gruppe: Challenge 1" in body.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        {"status": Order.STATUS_CANCELED},
        {"status": Order.STATUS_PENDING, "require_approval": True},
        {"status": Order.STATUS_EXPIRED},
    ],
)
def test_the_refusal_rules_are_those_of_the_main_room(ada, change):
    with scopes_disabled():
        Order.objects.filter(pk=ada.order_id).update(**change)
    response = join_at(ada, phase_start(ada.order.event) + minutes(10))
    assert response.status_code == 403
    body = response.content.decode()
    assert GROUP_URLS[0] not in body and "Join your group" not in body and "Zu Ihrer Gruppe" not in body
    assert "Location" not in response


@pytest.mark.django_db
def test_a_cancelled_ticket_of_a_paid_order_does_not_reach_the_group_room(video_event, item, groups):
    order = make_order(video_event, item, attendees=("Ada", "Bob"))
    with scopes_disabled():
        ada, bob = order.positions.order_by("positionid")
        add_member(groups[0], bob)
        bob.canceled = True
        bob.save()
    response = join_at(bob, phase_start(video_event) + minutes(10))
    assert response.status_code == 403
    assert GROUP_URLS[0] not in response.content.decode()


@pytest.mark.django_db
def test_the_event_route_with_pretixs_own_handling_leads_into_the_group_room_as_well(ada):
    """In test mode the main domain's short way hands over to pretix's handling (JoinView)."""
    event = ada.order.event
    with scopes_disabled():
        event.testmode = True
        event.save()
    assert join_at(ada, phase_start(event) + minutes(10))["Location"] == GROUP_URLS[0]


@pytest.mark.django_db
def test_moving_the_work_phase_moves_the_group_room_with_it(ada, work_item):
    event = ada.order.event
    at = phase_start(event) + minutes(10)
    assert join_at(ada, at)["Location"] == GROUP_URLS[0]
    with scopes_disabled():
        work_item.start = event.date_to - minutes(10)
        work_item.save()
    rooms.forget(event.pk)  # what saving through the agenda does in this process
    assert join_at(ada, at)["Location"] == MEETING_URL


# --- meeting services that sign each join -------------------------------------------------------


def configure_jitsi(event, **extra):
    values = {"domain": "meet.example.org", "app_id": APP_ID, "app_secret": APP_SECRET, **extra}
    with scopes_disabled():
        configure_event(
            event,
            url="https://meet.example.org/",
            provider="jitsi",
            provider_settings={f"innowerkstatt_video_jitsi_{k}": v for k, v in values.items()},
        )


def jitsi_room_and_claims(response, at):
    from freezegun import freeze_time

    assert response.status_code == 302
    location = response["Location"]
    token = parse_qs(urlsplit(location).query)["jwt"][0]
    with freeze_time(at):
        claims = jwt.decode(token, APP_SECRET, algorithms=["HS256"], audience=APP_ID, issuer=APP_ID)
    return urlsplit(location).path.strip("/"), claims


@pytest.mark.django_db
def test_jitsi_members_get_their_groups_room_with_its_own_token(video_event, item, groups, ada):
    configure_jitsi(video_event)
    grace = ticket_in(groups[1], item, "Grace Hopper")
    start = phase_start(video_event)
    main_room, _ = jitsi_room_and_claims(join_at(ada, start - minutes(20)), start - minutes(20))
    ada_room, ada_claims = jitsi_room_and_claims(join_at(ada, start + minutes(1)), start + minutes(1))
    grace_room, _ = jitsi_room_and_claims(join_at(grace, start + minutes(1)), start + minutes(1))
    assert len({main_room, ada_room, grace_room}) == 3
    assert ada_room.startswith(main_room + "-")  # recognisable as the event's, not guessable from it
    assert ada_claims["room"] == ada_room
    assert ada_claims["context"]["user"]["moderator"] is False
    assert ada_claims["context"]["user"]["name"] == "Ada Lovelace"
    # Stable: the next join of the group lands in the same room.
    assert jitsi_room_and_claims(join_at(ada, start + minutes(2)), start + minutes(2))[0] == ada_room


@pytest.mark.django_db
def test_jitsi_uses_the_room_name_the_organiser_set_for_the_group(video_event, groups, ada):
    configure_jitsi(video_event, room="innowerkstatt-main")
    with scopes_disabled():
        groups[0].room_name = "innowerkstatt-challenge-1"
        groups[0].save()
    at = phase_start(video_event) + minutes(1)
    room, claims = jitsi_room_and_claims(join_at(ada, at), at)
    assert room == "innowerkstatt-challenge-1" == claims["room"]


# --- BigBlueButton: a meeting of its own per group, against the stand-in server ------------------


@pytest.mark.django_db
def test_bigbluebutton_members_join_their_groups_own_meeting(video_event, item, settings):
    """A real (stand-in) server in another thread: the work phase is now, no frozen clock."""
    from django.core.cache import cache
    from django.utils.timezone import now

    from pretix_innowerkstatt.videolinks.domain.links import join_path
    from pretix_innowerkstatt.videolinks.providers import bigbluebutton
    from tests.videolinks.bbb_server import StandIn
    from tests.videolinks.test_bigbluebutton import SECRET, configure_bbb, post_join

    settings.ALLOW_HTTP_TO_PRIVATE_NETWORKS = True
    bigbluebutton._created_here.clear()
    cache.clear()
    event = video_event
    with scopes_disabled():
        event.date_from = now() - minutes(75)  # the work phase started 5 minutes ago
        event.date_to = event.date_from + minutes(120)
        event.save()
    groups = add_groups(add_work_phase(event), count=2, urls=())
    order = make_order(event, item, attendees=("Ada Lovelace", "Grace Hopper", "Alan Turing"))
    with scopes_disabled():
        ada, grace, alan = order.positions.order_by("positionid")
    add_member(groups[0], ada)
    add_member(groups[1], grace)
    with StandIn(SECRET) as server:
        configure_bbb(event, server.url, welcome="Willkommen!")
        meeting_ids = {}
        for who in (ada, grace, alan):
            with scopes_disabled():
                path = join_path(who)
            response = post_join(Client(), path)
            assert response.status_code == 302
            params = {k: v[0] for k, v in parse_qs(urlsplit(response["Location"]).query).items()}
            assert params["role"] == "VIEWER"
            assert server.get(response["Location"]).status_code == 302  # the server accepts the signed join
            meeting_ids[who.attendee_name] = params["meetingID"]
        created = {params["meetingID"]: params for call, params, ok in server.calls if call == "create" and ok}
    main = meeting_ids["Alan Turing"]
    assert len(set(meeting_ids.values())) == 3
    assert meeting_ids["Ada Lovelace"].startswith(main + "-")
    assert set(created) == set(meeting_ids.values())  # each group's meeting created on its first join
    assert created[meeting_ids["Ada Lovelace"]]["welcome"] == "Join your group: Challenge 1\nWillkommen!"
    assert created[main]["welcome"] == "Willkommen!"
