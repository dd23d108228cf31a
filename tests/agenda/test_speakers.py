"""The organiser's speaker directory: list, create with photo, edit, delete; permissions; log."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled
from PIL import Image
from pretix.base.models import LogEntry
from pretix.helpers.models import Thumbnail

from pretix_innowerkstatt.agenda.models import Speaker
from tests.conftest import login

from .snapshot import agenda_state

URL = "/control/organizer/innovationsbuero/innowerkstatt/speakers/"


def png_bytes(size=(300, 200), fmt="PNG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 60)).save(buffer, format=fmt)
    return buffer.getvalue()


def speaker_data(**extra):
    return {
        "name": "Adriana Groh",
        "role_0": "Project Lead Prototype Fund",
        "role_1": "",
        "biography_0": "Baut den *Prototype Fund* auf.",
        "biography_1": "",
        "links": "Website https://prototypefund.de\nhttps://social.example/@adriana",
        **extra,
    }


@pytest.mark.django_db
def test_create_speaker_with_photo_links_and_log(admin_client, organizer):
    photo = SimpleUploadedFile("portrait.png", png_bytes(), content_type="image/png")
    response = admin_client.post(URL + "add/", speaker_data(photo=photo))
    assert response.status_code == 302, response.content.decode()[:2000]
    with scopes_disabled():
        speaker = Speaker.objects.get(organizer=organizer)
        assert speaker.links == [
            {"label": "Website", "url": "https://prototypefund.de"},
            {"label": "social.example", "url": "https://social.example/@adriana"},
        ]
        assert speaker.photo.name.endswith(".png")
        assert "portrait" not in speaker.photo.name  # never the upload's own name
        assert Thumbnail.objects.filter(source=speaker.photo.name).exists()
        entry = LogEntry.objects.get(action_type="pretix_innowerkstatt.agenda.speaker.added")
    assert entry.organizer_id == organizer.pk
    assert "Adriana Groh" in str(entry.display())
    organizer_log = admin_client.get("/control/organizer/innovationsbuero/logs").content.decode()
    assert "“Adriana Groh” has been added to the speaker directory." in organizer_log
    listing = admin_client.get(URL).content.decode()
    assert "Adriana Groh" in listing
    assert 'href="' + URL + '"' in listing  # in the organiser navigation


@pytest.mark.django_db
def test_html_renamed_to_png_is_refused(admin_client, organizer):
    fake = SimpleUploadedFile("portrait.png", b"<html><script>alert(1)</script></html>", content_type="image/png")
    response = admin_client.post(URL + "add/", speaker_data(photo=fake))
    assert response.status_code == 200
    assert "has-error" in response.content.decode()
    with scopes_disabled():
        assert not Speaker.objects.exists()


@pytest.mark.django_db
def test_photo_stored_under_its_real_type(admin_client, organizer):
    jpeg = SimpleUploadedFile("portrait.png", png_bytes(fmt="JPEG"), content_type="image/png")
    assert admin_client.post(URL + "add/", speaker_data(photo=jpeg)).status_code == 302
    with scopes_disabled():
        assert Speaker.objects.get().photo.name.endswith(".jpg")


@pytest.mark.django_db
def test_photo_larger_than_5_mb_is_refused(admin_client, organizer):
    big = SimpleUploadedFile("big.png", png_bytes() + b"\0" * (5 * 1024 * 1024), content_type="image/png")
    response = admin_client.post(URL + "add/", speaker_data(photo=big))
    assert response.status_code == 200
    assert "larger than" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/x", "data:text/html,<b>x</b>"])
def test_only_web_links_are_accepted(admin_client, organizer, url):
    response = admin_client.post(URL + "add/", speaker_data(links=f"Link {url}"))
    assert response.status_code == 200
    with scopes_disabled():
        assert not Speaker.objects.exists()


@pytest.mark.django_db
def test_edit_and_delete_speaker_are_logged(admin_client, organizer, adriana):
    response = admin_client.post(f"{URL}{adriana.pk}/", speaker_data(name="Adriana Groh-Test"))
    assert response.status_code == 302
    with scopes_disabled():
        adriana.refresh_from_db()
    assert adriana.name == "Adriana Groh-Test"
    assert admin_client.post(f"{URL}{adriana.pk}/delete/").status_code == 302
    with scopes_disabled():
        assert not Speaker.objects.exists()
        actions = set(LogEntry.objects.filter(organizer_id=organizer.pk).values_list("action_type", flat=True))
    assert {"pretix_innowerkstatt.agenda.speaker.changed", "pretix_innowerkstatt.agenda.speaker.deleted"} <= actions


@pytest.mark.django_db
def test_event_only_user_can_read_but_not_change_directory(client, speaker_writer_only_events, adriana):
    login(client, speaker_writer_only_events)
    listing = client.get(URL)
    assert listing.status_code == 200
    assert "Adriana Groh" in listing.content.decode()
    assert f"{URL}{adriana.pk}/delete/" not in listing.content.decode()
    assert client.get(URL + "add/").status_code == 403
    assert client.post(f"{URL}{adriana.pk}/", speaker_data(name="Geändert")).status_code == 403
    assert client.post(f"{URL}{adriana.pk}/delete/").status_code == 403
    with scopes_disabled():
        assert Speaker.objects.get(pk=adriana.pk).name == "Adriana Groh"


@pytest.mark.django_db
def test_user_of_other_organizer_cannot_see_or_change(client, foreign_user, event, adriana):
    changes = {
        URL: speaker_data(name="Eingeschleust"),
        URL + "add/": speaker_data(name="Eingeschleust"),
        f"{URL}{adriana.pk}/": speaker_data(name="Geändert"),
        f"{URL}{adriana.pk}/delete/": {},
    }
    before = agenda_state(event)
    login(client, foreign_user)
    for url, data in changes.items():
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"Adriana" not in response.content
        assert client.post(url, data).status_code == 404, url
    assert agenda_state(event) == before
    # Their own directory does not reach into ours either.
    own = "/control/organizer/andere/innowerkstatt/speakers/"
    with scopes_disabled():
        other = foreign_user.teams.first().organizer
        other.enable_plugin("pretix_innowerkstatt")
        other.save()
    assert client.get(f"{own}{adriana.pk}/").status_code == 404
    with scopes_disabled():
        assert Speaker.objects.filter(pk=adriana.pk).exists()
