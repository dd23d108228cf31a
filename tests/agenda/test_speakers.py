"""The organiser's speaker directory: list, create with photo, edit, delete; permissions; log."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
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


# --- the private email and the languages of the form ---------------------------------------------

PRIVATE_EMAIL = "adriana.privat@example.org"


def form_as_shown(client, url) -> dict:
    """The form on ``url`` as the browser would submit it unchanged (inputs, text areas, selects)."""
    from bs4 import BeautifulSoup

    page = BeautifulSoup(client.get(url).content.decode(), "html.parser")
    form = page.find("form", method="post")
    data = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or name == "csrfmiddlewaretoken" or field.get("type") == "file":
            continue
        if field.name == "textarea":
            data[name] = field.text.removeprefix("\n")
        elif field.name == "select":
            chosen = field.find("option", selected=True)
            data[name] = chosen["value"] if chosen else ""
        elif field.get("type") not in ("checkbox", "radio") or field.has_attr("checked"):
            data[name] = field.get("value", "")
    return data


def stored(speaker) -> dict:
    with scopes_disabled():
        speaker.refresh_from_db()
    return {
        "name": speaker.name,
        "role": speaker.role.data,
        "biography": speaker.biography.data,
        "links": speaker.links,
        "email": speaker.email,
        "locale": speaker.locale,
    }


@pytest.fixture
def adriana_with_email(adriana):
    with scopes_disabled():
        adriana.email = PRIVATE_EMAIL
        adriana.locale = "en"
        adriana.save()
    return adriana


@pytest.mark.django_db
def test_the_speaker_form_shows_the_stored_private_email_and_saving_one_change_keeps_everything_else(
    admin_client, event, adriana_with_email
):
    url = f"{URL}{adriana_with_email.pk}/"
    before = stored(adriana_with_email)
    page = admin_client.get(url).content.decode()
    assert f'value="{PRIVATE_EMAIL}"' in page
    assert "Never shown publicly" in page and "host link" in page
    data = form_as_shown(admin_client, url)
    assert data["email"] == PRIVATE_EMAIL
    data["name"] = "Adriana Groh (Prototype Fund)"
    assert admin_client.post(url, data).status_code == 302
    after = stored(adriana_with_email)
    assert after == {**before, "name": "Adriana Groh (Prototype Fund)"}
    # The email itself can be changed and emptied the same way.
    data = form_as_shown(admin_client, url)
    data["email"] = ""
    assert admin_client.post(url, data).status_code == 302
    assert stored(adriana_with_email) == {**after, "email": ""}


@pytest.mark.django_db
def test_an_email_that_is_no_address_is_refused_with_a_message_and_nothing_changes(
    admin_client, event, adriana_with_email
):
    url = f"{URL}{adriana_with_email.pk}/"
    before = stored(adriana_with_email)
    data = form_as_shown(admin_client, url)
    data.update(email="adriana at example", name="Geändert")
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "valid email address" in response.content.decode()
    assert stored(adriana_with_email) == before


@pytest.mark.django_db
def test_the_role_line_offers_the_languages_of_all_the_organisers_events(admin_client, organizer, event):
    """The organiser's own settings name German only; its events are German and English (and one Dutch)."""
    from pretix.base.models import Event

    organizer.settings.locales = ["de"]
    with scopes_disabled():
        dutch = Event.objects.create(organizer=organizer, name="Meetup", slug="meetup", date_from=event.date_from)
        dutch.settings.locales = ["nl"]
    fields = role_fields_by_language(admin_client, URL + "add/")
    assert sorted(fields) == ["de", "en", "nl"]
    data = form_as_shown(admin_client, URL + "add/")
    data.update(name="Adriana Groh")
    data.update({fields["de"]: "Projektleitung", fields["en"]: "Project lead", fields["nl"]: "Projectleider"})
    assert admin_client.post(URL + "add/", data).status_code == 302
    with scopes_disabled():
        speaker = Speaker.objects.get(organizer=organizer)
    assert {k: v for k, v in speaker.role.data.items() if v} == {
        "de": "Projektleitung",
        "en": "Project lead",
        "nl": "Projectleider",
    }
    with translation.override("en"):
        assert str(speaker.role) == "Project lead"


def role_fields_by_language(client, url) -> dict:
    """``{language: input name}`` of the role line as the form shows it."""
    from bs4 import BeautifulSoup

    page = BeautifulSoup(client.get(url).content.decode(), "html.parser")
    return {
        field["lang"]: field["name"]
        for field in page.find_all("input", attrs={"name": lambda n: n and n.startswith("role_")})
    }


@pytest.mark.django_db
def test_a_role_stored_in_a_language_no_event_has_any_more_survives_saving_the_form(admin_client, organizer, event):
    organizer.settings.locales = ["de"]
    with scopes_disabled():
        speaker = Speaker.objects.create(
            organizer=organizer, name="Stefan Muhle", role={"de": "Gastgeber", "fr": "Hôte"}
        )
    url = f"{URL}{speaker.pk}/"
    assert "fr" in role_fields_by_language(admin_client, url)
    data = form_as_shown(admin_client, url)
    assert admin_client.post(url, data).status_code == 302
    role = stored(speaker)["role"]
    assert {k: v for k, v in role.items() if v} == {"de": "Gastgeber", "fr": "Hôte"}


@pytest.mark.django_db
def test_the_speaker_form_opens_with_a_fixed_number_of_queries_however_many_events(
    admin_client, organizer, event, adriana
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from pretix.base.models import Event

    url = f"{URL}{adriana.pk}/"
    admin_client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert admin_client.get(url).status_code == 200
    with scopes_disabled():
        for number in range(5):
            extra = Event.objects.create(organizer=organizer, name="X", slug=f"x{number}", date_from=event.date_from)
            extra.settings.locales = ["de", "en"]
    with CaptureQueriesContext(connection) as many:
        assert admin_client.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


SPEAKERS_API = "/api/v1/organizers/innovationsbuero/innowerkstatt/speakers/"


def api_client(organizer, **team_kwargs):
    from rest_framework.test import APIClient

    from .interop_helpers import api_token

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(organizer, **team_kwargs)}")
    return client


@pytest.mark.django_db
def test_the_speakers_api_shows_and_accepts_the_email_only_with_the_directory_permission(
    organizer, event, adriana_with_email
):
    directory_editor = api_client(organizer, limit_organizer_permissions={"organizer.settings.general:write": True})
    event_only = api_client(organizer, all_events=True, all_event_permissions=True)
    url = f"{SPEAKERS_API}{adriana_with_email.pk}/"

    assert directory_editor.get(url).json()["email"] == PRIVATE_EMAIL
    listed = event_only.get(SPEAKERS_API)
    assert listed.status_code == 200 and listed.json()["results"][0]["name"] == "Adriana Groh"
    assert "email" not in listed.json()["results"][0]
    assert PRIVATE_EMAIL not in listed.content.decode()
    assert PRIVATE_EMAIL not in event_only.get(url).content.decode()

    changed = directory_editor.patch(url, {"email": "groh@example.org"}, format="json")
    assert changed.status_code == 200 and changed.json()["email"] == "groh@example.org"
    refused = directory_editor.patch(url, {"email": "no address", "name": "Geändert"}, format="json")
    assert refused.status_code == 400 and "email" in refused.json()
    assert event_only.patch(url, {"email": "x@example.org"}, format="json").status_code == 403
    with scopes_disabled():
        adriana_with_email.refresh_from_db()
    assert (adriana_with_email.email, adriana_with_email.name) == ("groh@example.org", "Adriana Groh")


@pytest.mark.django_db
def test_no_public_output_carries_a_speakers_private_email(client, organizer, event, item, adriana_with_email):
    """Event page, schedule.json, agenda.ics, pretix's calendar, the agenda in mails and their calendar, PDF
    variables and the agenda API all name Adriana Groh, and none carries her email."""
    from django.core import mail as djmail
    from pretix.base.models import OrderPosition
    from pretix.base.pdf import get_variables

    from .conftest import make_agenda
    from .orders import html_part, place_order

    make_agenda(event, adriana_with_email)
    event.settings.mail_attach_ical = True
    event.settings.mail_text_order_free = {"de": "Ablauf:\n{agenda}\n\nMit dabei:\n{speakers}", "en": "{agenda}"}
    outputs = {}
    for path in ("", "innowerkstatt/schedule.json", "innowerkstatt/agenda.ics", "ical"):
        response = client.get(f"/innovationsbuero/innowerkstatt/{path}")
        assert response.status_code == 200, path
        outputs[path or "event page"] = (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode()
    order = place_order(event, item)
    (message,) = djmail.outbox
    outputs["mail"] = message.body
    outputs["mail html"] = html_part(message)
    outputs["mail calendar"] = "".join(
        content.decode() if isinstance(content, bytes) else str(content)
        for _name, content, _type in message.attachments
        if _name and _name.endswith(".ics")
    )
    assert "BEGIN:VCALENDAR" in outputs["mail calendar"]
    with scopes_disabled():
        position = OrderPosition.objects.get(order=order)
        variables = get_variables(event)
        outputs["pdf"] = "\n".join(
            str(variables[name]["evaluate"](position, order, event))
            for name in ("innowerkstatt_agenda", "innowerkstatt_speakers")
        )
    reader = api_client(organizer, all_events=True, limit_event_permissions={"event.orders:read": True})
    outputs["agenda api"] = reader.get(
        "/api/v1/organizers/innovationsbuero/events/innowerkstatt/innowerkstatt/agenda/"
    ).content.decode()
    outputs["speakers api"] = reader.get(SPEAKERS_API).content.decode()
    for name, content in outputs.items():
        if name not in ("agenda api", "ical"):
            assert "Adriana" in content, name  # vCalendar text may fold the line between the names
        assert PRIVATE_EMAIL not in content, name
    assert "Adriana Groh" in outputs["speakers api"]
    assert str(adriana_with_email.pk) in outputs["agenda api"]


@pytest.mark.django_db
def test_the_language_for_mails_offers_the_organisers_and_its_events_languages_or_the_events_own(
    admin_client, organizer, event, adriana
):
    from bs4 import BeautifulSoup

    organizer.settings.locales = ["de"]
    url = f"{URL}{adriana.pk}/"
    page = BeautifulSoup(admin_client.get(url).content.decode(), "html.parser")
    options = {
        o["value"]: o.get_text(strip=True) for o in page.find("select", attrs={"name": "locale"}).find_all("option")
    }
    assert list(options) == ["", "de", "en"]
    assert options[""] == "The event's language" and options["en"] == "English"
    before = stored(adriana)
    data = form_as_shown(admin_client, url)
    assert data["locale"] == ""
    data["locale"] = "en"
    assert admin_client.post(url, data).status_code == 302
    assert stored(adriana) == {**before, "locale": "en"}
    data = form_as_shown(admin_client, url)
    assert data["locale"] == "en"  # shown as stored
    data["locale"] = "xx"
    assert admin_client.post(url, data).status_code == 200
    assert stored(adriana)["locale"] == "en"


@pytest.mark.django_db
def test_the_speakers_api_shows_and_validates_the_language_for_mails(organizer, event, adriana):
    editor = api_client(organizer, all_organizer_permissions=True)
    url = f"{SPEAKERS_API}{adriana.pk}/"
    assert editor.get(url).json()["locale"] == ""
    assert editor.patch(url, {"locale": "en"}, format="json").json()["locale"] == "en"
    refused = editor.patch(url, {"locale": "klingon"}, format="json")
    assert refused.status_code == 400 and "locale" in refused.json()
    assert stored(adriana)["locale"] == "en"


@pytest.mark.django_db
def test_users_who_may_not_change_the_directory_never_see_the_private_email(
    client, speaker_writer_only_events, adriana_with_email
):
    login(client, speaker_writer_only_events)
    listing = client.get(URL)
    assert listing.status_code == 200 and "Adriana Groh" in listing.content.decode()
    assert PRIVATE_EMAIL not in listing.content.decode()
    form = client.get(f"{URL}{adriana_with_email.pk}/")
    assert form.status_code == 403 and PRIVATE_EMAIL.encode() not in form.content
