"""The format form without script: times without seconds, template choices newest first with their date."""

import datetime

import pytest
from django_scopes import scopes_disabled
from pretix.base.models import Event

from tests.conftest import login

from .conftest import make_format

pytestmark = pytest.mark.django_db

BASE = "/control/organizer/innovationsbuero/innowerkstatt/formats/"


def test_the_form_shows_times_without_seconds(client, organizer, template, admin_user):
    make_format(organizer, template)
    login(client, admin_user)
    content = client.get(BASE + "innowerkstatt/").content.decode()
    assert 'name="start_time" value="18:00"' in content
    assert 'name="end_time" value="20:00"' in content


def test_template_choices_are_newest_first_with_their_date_and_times(client, organizer, template, admin_user):
    with scopes_disabled():
        older = Event.objects.create(
            organizer=organizer,
            name="Sommerfest",
            slug="sommerfest",
            date_from=template.date_from - datetime.timedelta(days=100),
        )
        older.settings.timezone = "Europe/Berlin"
    login(client, admin_user)
    content = client.get(BASE + "add/").content.decode()
    assert content.index("Innovation workshop (") < content.index("Sommerfest (")
    assert 'data-start="18:00" data-end="20:00"' in content
    assert "(" + template.date_from.strftime("%Y-%m-%d") + ")" in content
    # the fields shown per rule kind and mode, for the form's script
    assert 'id="innowerkstatt-format-shown-only-for"' in content
