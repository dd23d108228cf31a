"""Text length limits in the editor, the API and the import; speaker photos leave storage with them.

The limits are defined once (``agenda/domain/limits.py``, carried by the model fields): titles
200 characters, role lines 300, biographies 10,000 per language.
"""
# ruff: noqa: F811  (fixtures imported from other test modules are used as test arguments)

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled
from pretix.helpers.models import Thumbnail

from pretix_innowerkstatt.agenda.domain import limits
from pretix_innowerkstatt.agenda.models import AgendaItem, Speaker

from .interop_helpers import evening  # noqa: F401
from .snapshot import agenda_state
from .test_api_agenda import AGENDA as AGENDA_API
from .test_api_agenda import SPEAKERS as SPEAKERS_API
from .test_api_agenda import writer  # noqa: F401
from .test_speakers import URL as SPEAKERS_PAGE
from .test_speakers import png_bytes, speaker_data


def test_limits_are_the_agreed_ones():
    assert (limits.TITLE, limits.ROLE, limits.BIOGRAPHY) == (200, 300, 10_000)


@pytest.mark.django_db
def test_api_refuses_a_200000_character_title_and_changes_nothing(writer, event, evening):  # noqa: F811
    before = agenda_state(event)
    payload = {"start": event.date_from.isoformat(), "title": {"de": "t" * 200_000}, "kind": "talk"}
    response = writer.post(AGENDA_API, payload, format="json")
    assert response.status_code == 400
    assert "at most 200 characters (it has 200000) [de]" in str(response.json()["title"])
    response = writer.patch(f"{AGENDA_API}{evening[1].pk}/", {"title": {"en": "t" * 201}}, format="json")
    assert response.status_code == 400
    assert "at most 200 characters" in str(response.json()["title"])
    assert agenda_state(event) == before


@pytest.mark.django_db
def test_api_accepts_a_title_of_exactly_200_characters(writer, event):
    payload = {"start": event.date_from.isoformat(), "title": {"de": "t" * 200}, "kind": "talk"}
    assert writer.post(AGENDA_API, payload, format="json").status_code == 201


@pytest.mark.django_db
def test_api_refuses_a_long_biography_or_role_of_a_speaker(writer, adriana):
    with scopes_disabled():
        before = Speaker.objects.values().get()
    response = writer.patch(f"{SPEAKERS_API}{adriana.pk}/", {"biography": {"en": "b" * 10_001}}, format="json")
    assert response.status_code == 400
    assert "at most 10000 characters (it has 10001) [en]" in str(response.json()["biography"])
    response = writer.patch(f"{SPEAKERS_API}{adriana.pk}/", {"role": {"de": "r" * 301}}, format="json")
    assert response.status_code == 400 and "at most 300 characters" in str(response.json()["role"])
    with scopes_disabled():
        assert Speaker.objects.values().get() == before


@pytest.mark.django_db
def test_speaker_form_refuses_a_long_biography_and_keeps_the_stored_one(admin_client, adriana):
    with scopes_disabled():
        before = Speaker.objects.values().get()
    page = admin_client.post(f"{SPEAKERS_PAGE}{adriana.pk}/", speaker_data(biography_0="b" * 10_001))
    assert page.status_code == 200
    assert "at most 10000 characters" in page.content.decode()
    page = admin_client.post(f"{SPEAKERS_PAGE}{adriana.pk}/", speaker_data(role_1="r" * 301))
    assert "at most 300 characters" in page.content.decode()
    with scopes_disabled():
        assert Speaker.objects.values().get() == before


def stored(name) -> bool:
    return bool(name) and default_storage.exists(name)


@pytest.mark.django_db
def test_replacing_or_removing_a_speakers_photo_deletes_the_old_file(
    admin_client, organizer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")
        assert admin_client.post(SPEAKERS_PAGE + "add/", speaker_data(photo=first)).status_code == 302
    with scopes_disabled():
        speaker = Speaker.objects.get()
        old = speaker.photo.name
        old_thumbnails = list(Thumbnail.objects.filter(source=old).values_list("thumb", flat=True))
    assert stored(old) and old_thumbnails and all(stored(t) for t in old_thumbnails)

    with django_capture_on_commit_callbacks(execute=True):
        second = SimpleUploadedFile("b.png", png_bytes((400, 400)), content_type="image/png")
        assert admin_client.post(f"{SPEAKERS_PAGE}{speaker.pk}/", speaker_data(photo=second)).status_code == 302
    with scopes_disabled():
        speaker.refresh_from_db()
    new = speaker.photo.name
    assert new != old and stored(new)
    assert not stored(old), "the replaced photo is still public"
    assert not any(stored(t) for t in old_thumbnails), "thumbnails of the replaced photo are still public"
    assert not Thumbnail.objects.filter(source=old).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"{SPEAKERS_PAGE}{speaker.pk}/", speaker_data(**{"photo-clear": "on"}))
        assert response.status_code == 302
    with scopes_disabled():
        speaker.refresh_from_db()
    assert not speaker.photo and not stored(new), "a removed photo is still public"


@pytest.mark.django_db
def test_deleting_a_speaker_deletes_the_photo(admin_client, organizer, django_capture_on_commit_callbacks):
    photo = SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")
    assert admin_client.post(SPEAKERS_PAGE + "add/", speaker_data(photo=photo)).status_code == 302
    with scopes_disabled():
        speaker = Speaker.objects.get()
    name = speaker.photo.name
    thumbnails = list(Thumbnail.objects.filter(source=name).values_list("thumb", flat=True))
    assert stored(name)
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(f"{SPEAKERS_PAGE}{speaker.pk}/delete/").status_code == 302
    assert not stored(name), "the deleted speaker's photo is still public"
    assert not any(stored(t) for t in thumbnails)


@pytest.mark.django_db
def test_saving_a_speaker_without_touching_the_photo_keeps_it(
    admin_client, organizer, django_capture_on_commit_callbacks
):
    photo = SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")
    assert admin_client.post(SPEAKERS_PAGE + "add/", speaker_data(photo=photo)).status_code == 302
    with scopes_disabled():
        speaker = Speaker.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(f"{SPEAKERS_PAGE}{speaker.pk}/", speaker_data(name="Neu")).status_code == 302
    with scopes_disabled():
        speaker.refresh_from_db()
    assert speaker.name == "Neu" and stored(speaker.photo.name)


@pytest.mark.django_db
def test_import_refuses_a_title_over_the_limit_with_the_same_message(event):
    from pretix_innowerkstatt.agenda.domain.importing import ImportFileError, parse_schedule

    from .test_interop_import import one_talk

    with pytest.raises(ImportFileError, match=r"at most 200 characters \(it has 201\)"):
        parse_schedule(one_talk(title="t" * 201))
    with scopes_disabled():
        assert not AgendaItem.objects.exists()


@pytest.mark.django_db
def test_api_refuses_a_second_speaker_or_item_with_the_same_external_id(writer, event, adriana):
    with scopes_disabled():
        adriana.external_id = "P1"
        adriana.save()
        AgendaItem.objects.create(event=event, start=event.date_from, title={"de": "a"}, external_id="talk-1")
    response = writer.post(SPEAKERS_API, {"name": "Namesake", "external_id": "P1"}, format="json")
    assert response.status_code == 400
    assert "already has this external ID" in str(response.json()["external_id"])
    payload = {"start": event.date_from.isoformat(), "title": {"de": "b"}, "external_id": "talk-1"}
    response = writer.post(AGENDA_API, payload, format="json")
    assert response.status_code == 400
    assert "already has this external ID" in str(response.json()["external_id"])
    assert writer.patch(f"{SPEAKERS_API}{adriana.pk}/", {"external_id": "P1"}, format="json").status_code == 200
    with scopes_disabled():
        assert Speaker.objects.count() == 1 and AgendaItem.objects.count() == 1


@pytest.mark.django_db
def test_agenda_editor_refuses_a_long_title_or_description_and_changes_nothing(admin_client, event):
    from .test_backend import URL as EDITOR
    from .test_backend import item_data, local, management

    before = agenda_state(event)
    start = local(event, event.date_from)
    data = {**management("items", 1, 0), **item_data(0, start, title="t" * 201)}
    page = admin_client.post(EDITOR, data).content.decode()
    assert "at most 200 characters (it has 201)" in page
    data = {**management("items", 1, 0), **item_data(0, start, title="ok", description_1="d" * 20_001)}
    page = admin_client.post(EDITOR, data).content.decode()
    assert "at most 20000 characters (it has 20001)" in page
    assert agenda_state(event) == before
