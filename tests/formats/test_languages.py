"""Organiser-wide texts offer the events' languages; no edition gets an empty name in one of its languages."""

import datetime
import zoneinfo

import pytest
from django_scopes import scopes_disabled

from pretix_innowerkstatt.formats.domain import creation
from pretix_innowerkstatt.formats.models import Edition
from tests.conftest import login

from .conftest import make_format

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 23, 9, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin"))
BASE = "/control/organizer/innovationsbuero/innowerkstatt/formats/"


def test_the_format_form_offers_the_languages_of_the_organisers_events(client, organizer, template, admin_user):
    with scopes_disabled():
        organizer.settings.locales = ["en"]
        organizer.settings.locale = "en"
    login(client, admin_user)
    content = client.get(BASE + "add/").content.decode()
    # the event is German and English: both languages for the name and the name pattern
    for field in ("name", "name_pattern"):
        assert f'name="{field}_0"' in content and f'name="{field}_1"' in content
        assert f'name="{field}_2"' not in content
    assert 'lang="de"' in content and 'lang="en"' in content


def test_an_edition_never_gets_an_empty_name_in_one_of_its_languages(organizer, template):
    fmt = make_format(
        organizer,
        template,
        count=1,
        name={"en": "Innovation workshop"},
        name_pattern={"en": "Innovation workshop {quarter}/{year}", "de": ""},
    )
    with scopes_disabled():
        creation.create_editions(fmt, now=NOW)
        event = Edition.objects.get(format=fmt).event
        # German: the template's German name; English: the pattern
        assert event.name.data == {"en": "Innovation workshop Q1/2027", "de": "Innovationswerkstatt"}


def test_the_preview_shows_the_fallback_name(organizer, template):
    fmt = make_format(organizer, template, count=1, name_pattern={"en": "Workshop {quarter}/{year}"})
    with scopes_disabled():
        (entry,) = creation.plan_of(fmt, now=NOW)
    assert entry.names == {"en": "Workshop Q1/2027", "de": "Innovationswerkstatt"}
