"""The public switch of the series calendar, its location rule and its cache; the formats' one write path."""

from html.parser import HTMLParser

import icalendar
import pytest
from django.test import override_settings
from django_scopes import scopes_disabled
from pretix.base.models import Event, LogEntry

from pretix_innowerkstatt.formats import logtypes
from pretix_innowerkstatt.formats.interfaces import calendar as calendar_module
from pretix_innowerkstatt.formats.models import Format

from .conftest import make_format
from .test_api import API, token_client
from .test_views import BASE, form_data

pytestmark = pytest.mark.django_db

ICS = "/innovationsbuero/innowerkstatt/formats/innowerkstatt.ics"
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "formats-ics"}}


def stored(fmt):
    with scopes_disabled():
        return {
            f.name: getattr(Format.objects.get(pk=fmt.pk), f.attname)
            for f in Format._meta.concrete_fields
            if f.name not in ("updated", "version")
        }


class FormValues(HTMLParser):
    """What a browser would send for the rendered format form, unchanged."""

    def __init__(self):
        super().__init__()
        self.data, self._select, self._textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data[name] = attrs.get("value", "on")
            else:
                self.data[name] = attrs.get("value", "")
        elif tag == "select":
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data.lstrip("\n") if not self.data[self._textarea] else data


def rendered_form(client, url):
    parser = FormValues()
    parser.feed(client.get(url).content.decode().split('id="innowerkstatt-format-form"', 1)[1].split("</form>")[0])
    return parser.data


def test_series_calendar_is_served_only_while_the_format_is_public(client, admin_client, fmt):
    assert client.get(ICS).status_code == 404
    preview = admin_client.get(BASE + "innowerkstatt/preview/").content.decode()
    assert 'id="innowerkstatt-format-ics-off"' in preview and ICS not in preview

    # The editor shows what is stored, the switch off; saving it unchanged changes nothing,
    # switching it on changes that field only.
    data = rendered_form(admin_client, BASE + "innowerkstatt/")
    assert "public" not in data and data["slug"] == "innowerkstatt" and data["count"] == "4"
    before = stored(fmt)
    assert admin_client.post(BASE + "innowerkstatt/", data).status_code == 302
    assert stored(fmt) == before
    assert admin_client.post(BASE + "innowerkstatt/", {**data, "public": "on"}).status_code == 302
    after = stored(fmt)
    assert {k for k in after if after[k] != before[k]} == {"public"}
    assert client.get(ICS).status_code == 200
    assert ICS in admin_client.get(BASE + "innowerkstatt/preview/").content.decode()
    assert rendered_form(admin_client, BASE + "innowerkstatt/")["public"] == "on"

    assert admin_client.post(BASE + "innowerkstatt/", data).status_code == 302
    assert client.get(ICS).status_code == 404


def test_public_switch_in_the_api(client, organizer, fmt):
    api = token_client(client.__class__(), organizer, all_organizer_permissions=True)
    assert api.get(API + "innowerkstatt/").json()["public"] is False
    response = api.patch(API + "innowerkstatt/", {"public": True}, content_type="application/json")
    assert response.status_code == 200 and response.json()["public"] is True
    assert client.get(ICS).status_code == 200


def locations(client):
    calendar = icalendar.Calendar.from_ical(client.get(ICS).content)
    return {str(e.get("LOCATION", "")) for e in calendar.walk("VEVENT")}


def test_series_calendar_shows_the_location_only_of_a_public_template(client, organizer, template):
    make_format(organizer, template, public=True)
    with scopes_disabled():
        template.location = {"de": "Rathaus Neukölln, Raum 3", "en": "Town hall Neukölln, room 3"}
        template.is_public = False
        template.save()
    assert locations(client) == {""}
    with scopes_disabled():
        template.is_public = True
        template.save()
    assert locations(client) == {"Rathaus Neukölln, Raum 3"}


def test_series_calendar_shows_the_location_only_of_a_public_template_date(client, organizer, series):
    event, template_date, _ = series
    with scopes_disabled():
        event.live, event.is_public = True, True
        event.save()
        template_date.location = "Stadtbibliothek"
        template_date.is_public = False
        template_date.save()
    make_format(organizer, event, mode="dates", template_subevent=template_date, slug="innowerkstatt", public=True)
    assert locations(client) == {""}
    with scopes_disabled():
        template_date.is_public = True
        template_date.save()
    assert locations(client) == {"Stadtbibliothek"}


def test_series_calendar_is_computed_once_per_format_version(client, admin_client, organizer, template, monkeypatch):
    fmt = make_format(organizer, template, public=True)
    calls = []
    original = calendar_module.creation.dates_of
    monkeypatch.setattr(calendar_module.creation, "dates_of", lambda *a, **kw: calls.append(1) or original(*a, **kw))
    with override_settings(CACHES=LOCMEM):
        first = client.get(ICS).content
        assert client.get(ICS).content == first and len(calls) == 1

        # A change through the editor counts the version up: the next request computes anew.
        admin_client.post(BASE + "innowerkstatt/", form_data(template, public="on", count=6))
        second = client.get(ICS).content
        assert len(calls) == 2 and b"COUNT=6" in second and second != first

        # An edition going live is part of what the calendar shows, so it is not served stale either.
        with scopes_disabled():
            from pretix_innowerkstatt.formats.domain import creation

            fmt.refresh_from_db()
            creation.create_editions(fmt)
            Event.objects.filter(slug="innowerkstatt-2027-q1").update(live=True, is_public=True)
        assert b"/innovationsbuero/innowerkstatt-2027-q1/" in client.get(ICS).content


def test_every_change_of_a_format_counts_its_version_and_leaves_one_log_line(admin_client, organizer, fmt, template):
    def state():
        with scopes_disabled():
            fmt.refresh_from_db()
            return fmt.version, LogEntry.objects.filter(action_type__startswith="pretix_innowerkstatt.formats").count()

    version, lines = state()
    admin_client.post(BASE + "innowerkstatt/", form_data(template, count=5))
    assert state() == (version + 1, lines + 1)

    # unchanged: nothing written, nothing logged
    admin_client.post(BASE + "innowerkstatt/", form_data(template, count=5))
    assert state() == (version + 1, lines + 1)

    api = token_client(admin_client.__class__(), organizer, all_organizer_permissions=True)
    api.patch(API + "innowerkstatt/", {"count": 6}, content_type="application/json")
    api.patch(API + "innowerkstatt/", {"count": 6}, content_type="application/json")
    assert state() == (version + 2, lines + 2)
    with scopes_disabled():
        assert LogEntry.objects.filter(action_type=logtypes.FORMAT_CHANGED).count() == 2

    # extending and creating: one "extended" and one "editions created" line, each a new version
    admin_client.post(BASE + "innowerkstatt/create/", {"extend": "1"})
    with scopes_disabled():
        assert LogEntry.objects.filter(action_type=logtypes.FORMAT_EXTENDED).count() == 1
        assert LogEntry.objects.filter(action_type=logtypes.EDITIONS_CREATED).count() == 1
    assert state()[0] == version + 4
