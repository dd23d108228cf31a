"""In the agenda editor a presentation moves within its block; out of it, the editor refuses with a message."""

import datetime

import pytest
from django_scopes import scope, scopes_disabled
from pretix.base.services.orders import approve_order

from pretix_innowerkstatt.agenda.models import AgendaItem

from ..agenda.test_backend import item_data, management
from ..conftest import login
from .conftest import KIEZRETTER, apply

URL = "/control/event/innovationsbuero/innowerkstatt/innowerkstatt/agenda/"


def editor_post(client, event, block, item, start):
    tz = event.timezone
    with scopes_disabled():
        block = AgendaItem.objects.get(pk=block.pk)
    data = {
        **management("items", 2, 2),
        **item_data(
            0,
            block.start.astimezone(tz),
            block.end.astimezone(tz),
            title=block.title.localize("de"),
            kind="presentation",
            pk=block.pk,
            title_1=block.title.localize("en"),
        ),
        **item_data(
            1,
            start.astimezone(tz),
            (start + datetime.timedelta(minutes=5)).astimezone(tz),
            title=str(item.title),
            kind="presentation",
            pk=item.pk,
        ),
    }
    return client.post(URL, data)


@pytest.fixture
def presented(event, product):
    with scope(organizer=event.organizer):
        approve_order(apply(event, product.item, KIEZRETTER), send_mail=False)
        return AgendaItem.objects.get(event=event, per_edition=True)


@pytest.mark.django_db
def test_the_editor_moves_a_presentation_within_its_block(client, admin_user, event, block, presented):
    login(client, admin_user)
    response = editor_post(client, event, block, presented, block.start + datetime.timedelta(minutes=25))
    assert response.status_code == 302
    with scopes_disabled():
        presented.refresh_from_db()
    assert presented.start == block.start + datetime.timedelta(minutes=25)


@pytest.mark.django_db
def test_the_editor_refuses_to_move_a_presentation_out_of_its_block(client, admin_user, event, block, presented):
    login(client, admin_user)
    stored = presented.start
    response = editor_post(client, event, block, presented, block.end + datetime.timedelta(minutes=5))
    assert response.status_code == 200
    page = response.content.decode()
    assert "is a presentation and can only move within" in page or "ist eine Vorstellung" in page
    with scopes_disabled():
        presented.refresh_from_db()
    assert presented.start == stored


@pytest.mark.django_db
def test_the_api_refuses_to_move_a_presentation_out_of_its_block_with_a_400(event, block, presented):
    from rest_framework.test import APIClient

    from ..agenda.interop_helpers import api_token

    client = APIClient()
    token = api_token(event.organizer, all_events=True, all_event_permissions=True, all_organizer_permissions=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    stored = presented.start
    moved = block.end + datetime.timedelta(minutes=5)
    response = client.patch(
        f"/api/v1/organizers/{event.organizer.slug}/events/{event.slug}/innowerkstatt/agenda/{presented.pk}/",
        {"start": moved.isoformat(), "end": (moved + datetime.timedelta(minutes=5)).isoformat()},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "within" in response.content.decode() or "innerhalb" in response.content.decode()
    with scopes_disabled():
        presented.refresh_from_db()
    assert presented.start == stored
