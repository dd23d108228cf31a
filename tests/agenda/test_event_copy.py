"""pretix's event copy ("copy from" on creation, the clone API) brings the agenda along."""

import datetime

import pytest
from django_scopes import scopes_disabled
from pretix.base.models import Event, LogEntry

from pretix_innowerkstatt.agenda.domain.selection import agenda_items


@pytest.mark.django_db
def test_copy_data_from_moves_agenda_to_new_start_and_keeps_speakers(event, agenda, adriana):
    with scopes_disabled():
        new = Event.objects.create(
            organizer=event.organizer,
            name={"de": "Innovationswerkstatt Q3"},
            slug="innowerkstatt-q3",
            date_from=event.date_from + datetime.timedelta(days=91, minutes=30),
        )
        new.copy_data_from(event)
        copied = agenda_items(new)
        assert len(copied) == 5
        assert [i.start - new.date_from for i in copied] == [i.start - event.date_from for i in agenda]
        assert [i.title.data for i in copied] == [i.title for i in agenda]
        assert [(link.speaker_id, link.role) for link in copied[1].speaker_links.all()] == [(adriana.pk, "speaker")]
        assert len(agenda_items(event)) == 5  # the original is untouched
        assert LogEntry.objects.filter(event=new, action_type="pretix_innowerkstatt.agenda.copied").exists()


@pytest.mark.django_db
def test_copy_to_another_organizer_drops_speaker_links(event, agenda, foreign_user):
    with scopes_disabled():
        other = foreign_user.teams.first().organizer
        other.enable_plugin("pretix_innowerkstatt")
        other.save()
        new = Event.objects.create(organizer=other, name="Kopie", slug="kopie", date_from=event.date_from)
        new.copy_data_from(event)
        copied = agenda_items(new)
        assert len(copied) == 5
        assert all(not i.speaker_links.all() for i in copied)


@pytest.mark.django_db
def test_clone_api_copies_agenda(event, agenda, admin_user):
    from pretix.base.models import Team
    from rest_framework.test import APIClient

    with scopes_disabled():
        team = Team.objects.get(organizer=event.organizer, members=admin_user)
        token = team.tokens.create(name="test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.token}")
    start = event.date_from + datetime.timedelta(days=91)
    response = client.post(
        "/api/v1/organizers/innovationsbuero/events/innowerkstatt/clone/",
        {
            "name": {"de": "Innovationswerkstatt Q3"},
            "slug": "q3",
            "date_from": start.isoformat(),
            "currency": "EUR",
            "live": False,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    with scopes_disabled():
        new = Event.objects.get(slug="q3")
        copied = agenda_items(new)
    assert len(copied) == 5
    assert copied[1].start - new.date_from == datetime.timedelta(minutes=10)
