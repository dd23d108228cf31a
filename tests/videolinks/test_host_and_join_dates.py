"""Dates on the backend Hosts page and the join page's agenda read like the event page's, in English too.

pretix's English ``SHORT_DATETIME_FORMAT`` is ISO ("2026-12-04 18:10"); the plugin writes dates
with ``core.dates`` ("Dec. 4, 2026, 18:10").
"""

import datetime
import re

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils.dateformat import format as format_date
from django_scopes import scopes_disabled
from freezegun import freeze_time

from pretix_innowerkstatt.agenda.models import AgendaItem, AgendaItemSpeaker, Speaker
from pretix_innowerkstatt.videolinks.domain.links import join_path

from .conftest import open_time

pytestmark = pytest.mark.django_db

HOSTS_PAGE = "/control/event/innovationsbuero/innowerkstatt/innowerkstatt/video/hosts/"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def english_day(moment) -> str:
    """Django's English ``DATE_FORMAT`` ("N j, Y": "Dec. 4, 2026", "May 26, 2027")."""
    return format_date(moment, "N j, Y")


def test_the_hosts_page_names_each_items_start_in_words_in_the_event_time_zone(admin_client, configured_event):
    event = configured_event
    with scopes_disabled():
        person = Speaker.objects.create(organizer=event.organizer, name="Adriana Groh")
        # 17:10 UTC on a winter evening is 18:10 in Berlin, where the event is.
        start = datetime.datetime(2026, 12, 4, 17, 10, tzinfo=datetime.UTC)
        talk = AgendaItem.objects.create(event=event, start=start, title="Keynote")
        AgendaItemSpeaker.objects.create(item=talk, speaker=person, role=AgendaItemSpeaker.ROLE_SPEAKER)
    admin_client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    page = admin_client.get(HOSTS_PAGE)
    assert page.status_code == 200
    items = page.content.decode().split('id="innowerkstatt-hosts"', 1)[1].split("</table>", 1)[0]
    assert "Dec. 4, 2026, 18:10 Keynote" in " ".join(items.split())
    assert not ISO_DATE.search(items)


def test_the_join_page_agenda_over_two_days_names_each_day_at_its_first_item(position, configured_event):
    event = configured_event
    first = event.date_from
    second = first + datetime.timedelta(days=1)
    with scopes_disabled():
        for start, title in ((first, "Begrüßung"), (first + datetime.timedelta(hours=1), "Ende Tag 1")):
            AgendaItem.objects.create(event=event, start=start, title=title)
        AgendaItem.objects.create(event=event, start=second, title="Tag 2")
        path = join_path(position)
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    with freeze_time(open_time(event)):
        html = client.get(path).content.decode()
    agenda = html.split("innowerkstatt-join-agenda-items", 1)[1].split("</ol>", 1)[0]
    days = re.findall(r'<span class="innowerkstatt-join-agenda-day">([^<]*)</span>', agenda)
    tz = event.timezone
    assert days == [english_day(first.astimezone(tz)), english_day(second.astimezone(tz))]
    # the label sits in the first item of its day, before its time
    rows = agenda.split("</li>")
    assert english_day(second.astimezone(tz)) in rows[2] and "Tag 2" in rows[2]
    assert "innowerkstatt-join-agenda-day" not in rows[1]
    assert not ISO_DATE.search(re.sub(r'(datetime|data-[a-z-]+)="[^"]*"', "", agenda))


def test_the_join_page_agenda_of_one_day_has_no_day_labels(position, configured_event):
    event = configured_event
    with scopes_disabled():
        AgendaItem.objects.create(event=event, start=event.date_from, title="Begrüßung")
        AgendaItem.objects.create(event=event, start=event.date_from + datetime.timedelta(hours=1), title="Ende")
        path = join_path(position)
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    with freeze_time(open_time(event)):
        html = client.get(path).content.decode()
    assert "Begrüßung" in html and "innowerkstatt-join-agenda-day" not in html
