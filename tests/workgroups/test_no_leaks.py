"""A group's room URL is as secret as the main meeting URL: only ever the target of an admitted join POST."""

import datetime

import pytest
from django.core import mail as djmail
from django.test import Client
from django_scopes import scopes_disabled
from freezegun import freeze_time
from pretix.base.models import LogEntry, Team

from pretix_innowerkstatt.videolinks.domain.config import configure_event
from pretix_innowerkstatt.videolinks.domain.links import join_path
from pretix_innowerkstatt.workgroups.domain.managing import create_group
from tests.videolinks.conftest import MEETING_URL, mark_paid, place_order

from .work_phase import add_member, add_work_phase, join_at, phase_start, ticket_in

SECRET_ROOM = "https://meet.example.org/very-secret-group-room-5e1f"
EVENT = "/innovationsbuero/innowerkstatt"


@pytest.fixture
def secret_group(event, admin_user):
    with scopes_disabled():
        configure_event(event, url=MEETING_URL, opens_minutes_before=30)
        event.settings.mail_send_order_paid_attendee = True
        event.settings.attendee_emails_asked = True
        item = add_work_phase(event)
        group = create_group(
            item, name={"en": "Challenge 1", "de": "Challenge 1"}, capacity=15, meeting_url=SECRET_ROOM, user=admin_user
        )
    return group


@pytest.fixture
def member(event, item, secret_group):
    return ticket_in(secret_group, item)


def inside(event):
    return phase_start(event) + datetime.timedelta(minutes=10)


def assert_clean(text):
    assert SECRET_ROOM not in text
    assert "very-secret-group-room" not in text


@pytest.mark.django_db
def test_public_pages_never_carry_the_group_room_during_the_work_phase(event, member):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    with freeze_time(inside(event)):
        for path in (f"{EVENT}/", f"{EVENT}/ical/", f"{EVENT}/widget/product_list", "/innovationsbuero/"):
            response = client.get(path)
            assert response.status_code == 200, path
            assert_clean(response.content.decode())


@pytest.mark.django_db
def test_join_order_and_ticket_pages_name_the_group_but_not_its_room(event, member):
    order = member.order
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    with scopes_disabled():
        order_path = f"{EVENT}/order/{order.code}/{order.secret}/"
        ticket_path = f"{EVENT}/ticket/{order.code}/{member.positionid}/{member.web_secret}/"
        join = join_path(member)
    with freeze_time(inside(event)):
        join_page = client.get(join)
        assert "Join your group: Challenge 1" in join_page.content.decode()
        for response in (join_page, client.get(order_path), client.get(ticket_path)):
            assert response.status_code == 200
            assert_clean(response.content.decode())
            assert MEETING_URL not in response.content.decode()


@pytest.mark.django_db
def test_the_room_is_only_in_the_redirect_of_an_admitted_join(event, member):
    response = join_at(member, inside(event))
    assert response.status_code == 302 and response["Location"] == SECRET_ROOM
    assert_clean(response.content.decode())
    # A wrong secret: 404, nothing of the room.
    with scopes_disabled():
        wrong = join_path(member)[:-3] + "xx/"
    with freeze_time(inside(event)):
        refused = Client().post(wrong)
    assert refused.status_code == 404
    assert_clean(refused.content.decode())


@pytest.mark.django_db
def test_logs_never_store_the_group_room(event, member, admin_user):
    from pretix_innowerkstatt.workgroups.domain.managing import change_group

    with scopes_disabled():
        change_group(member.innowerkstatt_work_group_member.group, meeting_url=SECRET_ROOM + "-v2", user=admin_user)
    join_at(member, inside(event))  # the join's check-in is logged on the order
    with scopes_disabled():
        logged = str(list(LogEntry.objects.values_list("action_type", "data")))
    assert "pretix_innowerkstatt.workgroups" in logged  # the group's changes are in the log …
    assert_clean(logged)  # … without its room


@pytest.mark.django_db
def test_the_groups_api_accepts_the_room_but_never_shows_it(event, secret_group):
    with scopes_disabled():
        team = Team.objects.create(organizer=event.organizer, name="API", all_events=True, all_event_permissions=True)
        token = team.tokens.create(name="own")
    client = Client()
    url = "/api/v1/organizers/innovationsbuero/events/innowerkstatt/innowerkstatt/groups/"
    response = client.get(url, HTTP_AUTHORIZATION=f"Token {token.token}")
    assert response.status_code == 200
    assert "Challenge 1" in response.content.decode()
    assert_clean(response.content.decode())
    detail = client.get(f"{url}{secret_group.pk}/", HTTP_AUTHORIZATION=f"Token {token.token}")
    assert detail.status_code == 200
    assert_clean(detail.content.decode())


@pytest.mark.django_db
def test_mails_name_the_group_but_never_its_room(event, secret_group):
    from decimal import Decimal

    with scopes_disabled():
        event.organizer.enable_plugin("pretix.plugins.banktransfer")
        event.organizer.save()
        paid = event.items.create(name="Ticket", default_price=Decimal("10.00"), admission=True)
        quota = event.quotas.create(name="Tickets", size=10)
        quota.items.add(paid)
    order = place_order(event, paid, [("Ada Lovelace", "ada@example.org")])
    with scopes_disabled():
        add_member(secret_group, order.positions.get())
    djmail.outbox.clear()
    mark_paid(order)
    assert djmail.outbox
    for message in djmail.outbox:
        assert "Challenge 1" in message.body
        assert_clean(message.body)
        assert all(SECRET_ROOM not in str(part[0]) for part in message.alternatives)
