"""A group's host: their host link leads into the group's room as moderator during the work phase."""

import datetime
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from django.test import Client
from django_scopes import scopes_disabled
from freezegun import freeze_time

from pretix_innowerkstatt.agenda.models import AgendaItemSpeaker, Speaker
from pretix_innowerkstatt.videolinks.domain import hosts
from tests.videolinks.conftest import MEETING_URL

from .test_work_phase_join import APP_ID, APP_SECRET, configure_jitsi, jitsi_room_and_claims
from .work_phase import GROUP_URLS, add_groups, add_work_phase, join_at, phase_start, ticket_in


@pytest.fixture
def setting(video_event):
    """The work phase with three groups; Margarete Hosting hosts group 2 and is on the agenda as host."""
    item = add_work_phase(video_event)
    groups = add_groups(item)
    with scopes_disabled():
        person = Speaker.objects.create(
            organizer=video_event.organizer, name="Margarete Hosting", email="m@example.org"
        )
        AgendaItemSpeaker.objects.create(item=item, speaker=person, role=AgendaItemSpeaker.ROLE_HOST)
        groups[1].host = person
        groups[1].save()
    return video_event, groups, person


def host_join_at(event, person, at):
    with scopes_disabled():
        path = hosts.host_path(event, person)
    client = Client()
    with freeze_time(at):
        page = client.get(path)
        return client.post(path, {"csrfmiddlewaretoken": page.context["csrf_token"]})


@pytest.mark.django_db
def test_the_host_link_leads_into_the_hosted_groups_room_during_the_work_phase(setting):
    event, groups, person = setting
    start = phase_start(event)
    assert host_join_at(event, person, start + datetime.timedelta(minutes=5))["Location"] == GROUP_URLS[1]
    assert host_join_at(event, person, start - datetime.timedelta(minutes=30))["Location"] == MEETING_URL
    assert host_join_at(event, person, event.date_to + datetime.timedelta(minutes=1))["Location"] == MEETING_URL


@pytest.mark.django_db
def test_a_host_without_a_group_stays_in_the_main_room(setting):
    event, groups, person = setting
    with scopes_disabled():
        groups[1].host = None
        groups[1].save()
    assert host_join_at(event, person, phase_start(event) + datetime.timedelta(minutes=5))["Location"] == MEETING_URL


@pytest.mark.django_db
def test_with_jitsi_the_host_is_moderator_in_the_room_of_the_members(setting, item):
    event, groups, person = setting
    configure_jitsi(event)
    grace = ticket_in(groups[1], item, "Grace Hopper")
    at = phase_start(event) + datetime.timedelta(minutes=5)
    member_room, member_claims = jitsi_room_and_claims(join_at(grace, at), at)
    response = host_join_at(event, person, at)
    token = parse_qs(urlsplit(response["Location"]).query)["jwt"][0]
    with freeze_time(at):
        claims = jwt.decode(token, APP_SECRET, algorithms=["HS256"], audience=APP_ID)
    assert urlsplit(response["Location"]).path.strip("/") == member_room == claims["room"]
    assert claims["context"]["user"]["moderator"] is True
    assert member_claims["context"]["user"]["moderator"] is False
