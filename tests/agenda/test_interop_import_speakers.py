"""A schedule import never destroys speaker data: it adds only what the file provides.

The speaker directory belongs to the organiser and is shared by all its events, so a pretalx
file that lists "Ada Lovelace" without a biography must not erase her biographies or links.
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled
from pretix.base.models import CachedTicket, LogEntry

from pretix_innowerkstatt.agenda.domain.importing import apply_schedule, parse_schedule
from pretix_innowerkstatt.agenda.models import AgendaItem, Speaker

from .orders import place_order
from .test_interop_import import URL, one_talk, upload

ADA_GUID = "5a8f0a41-6f2e-4f4c-9c5e-5b1b6ddc1ada"
ADA_LINKS = [
    {"label": "Website", "url": "https://ada.example"},
    {"label": "Mastodon", "url": "https://social.example/@ada"},
]


def ada_talk(**person):
    """One English talk with Ada Lovelace as the file lists her (her guid unless said otherwise)."""
    return one_talk(language="en", persons=[{"guid": ADA_GUID, "name": "Ada Lovelace", **person}])


@pytest.fixture
def ada(organizer):
    """Ada, imported earlier (she has the file's guid), then written in two languages by the organiser."""
    with scopes_disabled():
        return Speaker.objects.create(
            organizer=organizer,
            name="Ada Lovelace",
            external_id=ADA_GUID,
            role={"de": "Mathematikerin", "en": "Mathematician"},
            biography={"de": "Schrieb das erste *Programm*.", "en": "Wrote the first *program*."},
            links=list(ADA_LINKS),
        )


@pytest.fixture
def other_event(organizer, event):
    """A second event of the organiser in which Ada also speaks."""
    with scopes_disabled():
        other = organizer.events.create(
            name={"de": "Andere"}, slug="andere", date_from=event.date_from, plugins=event.plugins
        )
        return other


def speaker_state(speaker):
    with scopes_disabled():
        speaker.refresh_from_db()
    return speaker.name, speaker.role.data, speaker.biography.data, speaker.links, speaker.external_id


@pytest.mark.django_db
def test_import_without_biography_or_links_keeps_every_language_and_link_of_the_speaker(admin_client, event, ada):
    before = speaker_state(ada)
    page = upload(admin_client, ada_talk()).content.decode()
    assert "1 items added" in page and "0 speakers added, 0 changed" in page
    assert speaker_state(ada) == before
    with scopes_disabled():
        assert [link.speaker for link in AgendaItem.objects.get(event=event).speaker_links.all()] == [ada]


@pytest.mark.django_db
def test_import_with_empty_biography_and_links_keeps_them(event, ada):
    before = speaker_state(ada)
    with scopes_disabled():
        result = apply_schedule(event, None, parse_schedule(ada_talk(biography="", links=[])))
    assert result.speakers_updated == 0
    assert speaker_state(ada) == before


@pytest.mark.django_db
def test_import_replaces_only_the_biography_of_the_talks_language(event, ada):
    with scopes_disabled():
        result = apply_schedule(event, None, parse_schedule(ada_talk(biography="Countess, *analyst*.")))
    assert result.speakers_updated == 1
    _name, role, biography, links, _id = speaker_state(ada)
    assert biography == {"de": "Schrieb das erste *Programm*.", "en": "Countess, *analyst*."}
    assert role == {"de": "Mathematikerin", "en": "Mathematician"}
    assert links == ADA_LINKS


@pytest.mark.django_db
def test_import_adds_new_links_after_the_speakers_own_and_keeps_them(event, ada):
    file_links = [
        {"title": "Homepage", "url": "https://ada.example"},  # known address: the organiser's label stays
        {"title": "Notes", "url": "https://notes.example/ada"},
    ]
    with scopes_disabled():
        apply_schedule(event, None, parse_schedule(ada_talk(links=file_links)))
    assert speaker_state(ada)[3] == ADA_LINKS + [{"label": "Notes", "url": "https://notes.example/ada"}]


@pytest.mark.django_db
def test_speaker_matched_only_by_exact_name_is_linked_but_never_changed(event, organizer):
    with scopes_disabled():
        namesake = Speaker.objects.create(
            organizer=organizer,
            name="Ada Lovelace",
            biography={"de": "Von Hand angelegt."},
            links=[{"label": "Web", "url": "https://hand.example"}],
        )
    before = speaker_state(namesake)
    document = ada_talk(
        guid="0f0f0f0f-6f2e-4f4c-9c5e-5b1b6ddc1a99",
        biography="Someone else's Ada.",
        links=[{"title": "Other", "url": "https://other.example"}],
    )
    with scopes_disabled():
        result = apply_schedule(event, None, parse_schedule(document))
        item = AgendaItem.objects.get(event=event)
        assert [link.speaker for link in item.speaker_links.all()] == [namesake]
    assert (result.speakers_created, result.speakers_updated, result.speakers_linked_by_name) == (0, 0, 1)
    assert speaker_state(namesake) == before  # not even the file's guid is taken over


@pytest.mark.django_db
def test_import_leaves_the_speakers_of_a_talk_that_lists_no_persons(event, ada):
    document = one_talk(language="en")
    del document["schedule"]["conference"]["days"][0]["rooms"]["Plenum"][0]["persons"]
    with scopes_disabled():
        apply_schedule(event, None, parse_schedule(ada_talk()))
        apply_schedule(event, None, parse_schedule(document))
        item = AgendaItem.objects.get(event=event)
        assert [link.speaker for link in item.speaker_links.all()] == [ada]


@pytest.mark.django_db
def test_preview_says_which_speakers_would_change_and_changes_nothing(admin_client, event, ada, organizer):
    with scopes_disabled():
        Speaker.objects.create(organizer=organizer, name="Grace Hopper", biography={"en": "Compilers."})
    document = one_talk(
        language="en",
        persons=[
            {"guid": ADA_GUID, "name": "Ada Lovelace", "biography": "New text."},
            {"guid": "1a8f0a41-6f2e-4f4c-9c5e-5b1b6ddc1a01", "name": "Grace Hopper", "biography": "Other Grace."},
            {"guid": "2a8f0a41-6f2e-4f4c-9c5e-5b1b6ddc1a02", "name": "Katherine Johnson"},
        ],
    )
    before = speaker_state(ada)
    upload_file = SimpleUploadedFile("democon.json", json.dumps(document).encode(), "application/json")
    response = admin_client.post(URL, {"file": upload_file}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Please check what importing “democon.json” would change. Nothing has been changed yet." in page
    assert "1 items would be added, 0 changed, 0 unchanged." in page
    assert "<strong>Ada Lovelace</strong>: biography (English)" in page
    assert "Speakers that would be added" in page and "Katherine Johnson" in page
    assert "Linked by name only, left unchanged" in page and "Grace Hopper" in page
    assert speaker_state(ada) == before
    with scopes_disabled():
        assert not AgendaItem.objects.filter(event=event).exists()
        assert not Speaker.objects.filter(name="Katherine Johnson").exists()
        assert not LogEntry.objects.filter(action_type="pretix_innowerkstatt.agenda.imported").exists()

    page = admin_client.post(response.redirect_chain[-1][0], follow=True).content.decode()
    assert "1 items added" in page and "1 speakers added, 1 changed" in page
    assert speaker_state(ada)[2] == {"de": "Schrieb das erste *Programm*.", "en": "New text."}
    with scopes_disabled():
        entry = LogEntry.objects.get(action_type="pretix_innowerkstatt.agenda.imported")
        assert entry.parsed_data["filename"] == "democon.json"


@pytest.mark.django_db
def test_preview_of_another_session_is_not_found(admin_client, admin_user, event):
    from django.test import Client

    from tests.conftest import login

    response = admin_client.post(
        URL, {"file": SimpleUploadedFile("s.json", json.dumps(one_talk()).encode(), "application/json")}, follow=True
    )
    preview_url = response.redirect_chain[-1][0]
    client = Client()
    login(client, admin_user)  # the same person, another session
    assert client.get(preview_url).status_code == 404
    assert client.post(preview_url).status_code == 404
    assert admin_client.get(URL + "?file=not-a-uuid").status_code == 404
    with scopes_disabled():
        assert not AgendaItem.objects.filter(event=event).exists()


@pytest.mark.django_db
def test_changed_speaker_reaches_the_other_events_agenda_and_logs_the_import_once(
    event, other_event, ada, django_capture_on_commit_callbacks, monkeypatch
):
    from pretix.base.services import tickets

    invalidated = []
    monkeypatch.setattr(tickets.invalidate_cache, "apply_async", lambda kwargs: invalidated.append(kwargs["event"]))
    with scopes_disabled():
        theirs = AgendaItem.objects.create(event=other_event, start=other_event.date_from, title={"de": "Dort"})
        theirs.speaker_links.create(speaker=ada)
        with django_capture_on_commit_callbacks(execute=True):
            apply_schedule(event, None, parse_schedule(ada_talk(name="Ada King-Lovelace")))
        assert LogEntry.objects.filter(action_type="pretix_innowerkstatt.agenda.imported").count() == 1
    assert sorted(invalidated) == sorted([event.pk, other_event.pk])


@pytest.mark.django_db
def test_import_reaches_a_cached_pdf_ticket(admin_client, event, item, django_capture_on_commit_callbacks):
    from pretix.base.services.tickets import generate_orderposition

    order = place_order(event, item)
    with scopes_disabled():
        position = order.positions.get()
        generate_orderposition(position.pk, "pdf")
        assert CachedTicket.objects.filter(order_position=position).exists()
    with django_capture_on_commit_callbacks(execute=True):
        page = upload(admin_client, one_talk()).content.decode()
    assert "1 items added" in page
    with scopes_disabled():
        assert not CachedTicket.objects.filter(order_position=position).exists()


@pytest.mark.django_db
def test_reimport_with_changed_speakers_bumps_the_items_calendar_sequence(event, ada):
    with scopes_disabled():
        apply_schedule(event, None, parse_schedule(one_talk(persons=[])))
        item = AgendaItem.objects.get(event=event)
        assert item.sequence == 0
        result = apply_schedule(event, None, parse_schedule(ada_talk()))
        item.refresh_from_db()
    assert result.updated == 1 and item.sequence == 1


@pytest.mark.django_db
def test_two_persons_matching_one_speaker_are_linked_once(event, organizer):
    with scopes_disabled():
        ada = Speaker.objects.create(organizer=organizer, name="Ada Lovelace")
        document = one_talk(persons=[{"name": "Ada Lovelace"}, {"name": "Ada Lovelace", "guid": ADA_GUID}])
        result = apply_schedule(event, None, parse_schedule(document))
        item = AgendaItem.objects.get(event=event)
        assert [link.speaker for link in item.speaker_links.all()] == [ada]
    assert result.created == 1 and result.speakers_linked_by_name == 1


@pytest.mark.django_db
def test_a_speaker_listed_under_two_ids_counts_as_one_change(event, ada):
    from pretix_innowerkstatt.agenda.domain.importing import speaker_guid

    with scopes_disabled():
        ada.external_id = "ADA-CODE"
        ada.save()
        document = one_talk(
            language="en",
            persons=[
                {"code": "ADA-CODE", "name": "Ada Lovelace", "biography": "One."},
                {"guid": speaker_guid(ada), "name": "Ada Lovelace", "links": [{"url": "https://two.example"}]},
            ],
        )
        result = apply_schedule(event, None, parse_schedule(document))
        item = AgendaItem.objects.get(event=event)
        assert [link.speaker for link in item.speaker_links.all()] == [ada]
    assert result.speakers_updated == 1
    _name, _role, biography, links, _id = speaker_state(ada)
    assert biography["en"] == "One." and links[-1]["url"] == "https://two.example"
