"""Dates and times in the language's own format (English no longer ISO): mails, the event page, the join page."""

import datetime
import re
import zoneinfo

import pytest
from django.conf import settings as django_settings
from django.core import mail as djmail
from django.test import Client
from django_scopes import scopes_disabled
from freezegun import freeze_time
from i18nfield.strings import LazyI18nString

from pretix_innowerkstatt.agenda.models import AgendaItem
from pretix_innowerkstatt.videolinks.domain.config import configure_event
from pretix_innowerkstatt.videolinks.domain.links import join_path

from .orders import html_part, place_order

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
EVENT_PAGE = "/innovationsbuero/innowerkstatt/"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A two-day event, so that its agenda names each day.
FIRST_DAY = datetime.datetime(2027, 3, 4, 18, 0, tzinfo=BERLIN)
SECOND_DAY = datetime.datetime(2027, 3, 5, 9, 0, tzinfo=BERLIN)
EXPECTED = {
    "en": ("March 4, 2027, 18:00 Welcome", "March 5, 2027, 09:00 Day two", "18:30 Work phase"),
    "de": ("4. März 2027, 18:00 Begrüßung", "5. März 2027, 09:00 Tag zwei", "18:30 Arbeitsphase"),
}
DAYS = {"en": ["March 4, 2027", "March 5, 2027"], "de": ["4. März 2027", "5. März 2027"]}


@pytest.fixture
def two_day_agenda(event):
    with scopes_disabled():
        event.date_from = FIRST_DAY
        event.date_to = SECOND_DAY.replace(hour=17)
        event.save()
        rows = [
            (FIRST_DAY, {"de": "Begrüßung", "en": "Welcome"}),
            (FIRST_DAY + datetime.timedelta(minutes=30), {"de": "Arbeitsphase", "en": "Work phase"}),
            (SECOND_DAY, {"de": "Tag zwei", "en": "Day two"}),
        ]
        return [
            AgendaItem.objects.create(event=event, start=start, end=start + datetime.timedelta(minutes=30), title=title)
            for start, title in rows
        ]


def _page(path, language):
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "de"])
def test_agenda_placeholder_names_each_day_in_the_languages_own_format(event, item, two_day_agenda, language):
    event.settings.mail_text_order_free = LazyI18nString({"de": "Ablauf:\n{agenda}", "en": "Agenda:\n{agenda}"})
    place_order(event, item, locale=language)
    (message,) = djmail.outbox
    body = message.body.replace("\r\n", "\n")
    first, second, later_same_day = EXPECTED[language]
    assert f"{first}\n{later_same_day}\n{second}" in body  # a later item of the same day: its time only
    html = html_part(message)
    assert f"<strong>{first.rsplit(' ', 1)[0]}</strong>" in html
    assert not ISO_DATE.search(body)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "de"])
def test_event_page_names_each_day_of_the_agenda_once_in_the_languages_own_format(
    event, item, two_day_agenda, language
):
    html = _page(EVENT_PAGE, language)
    section = html.split('id="innowerkstatt-agenda"', 1)[1].split("</section>", 1)[0]
    days = re.findall(r'<span class="innowerkstatt-agenda-day">([^<]*)</span>', section)
    assert days == DAYS[language]
    assert ">18:30</time>" in section
    assert not ISO_DATE.search(re.sub(r'datetime="[^"]*"', "", section))


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "de"])
def test_join_page_states_the_time_in_the_languages_own_format(event, item, two_day_agenda, language):
    with scopes_disabled():
        configure_event(event, url="https://meet.example.org/room", opens_minutes_before=30)
    order = place_order(event, item, locale=language)
    with scopes_disabled():
        path = join_path(order.positions.get())
    with freeze_time(FIRST_DAY - datetime.timedelta(minutes=10)):
        html = _page(path, language)
    when = html.split("innowerkstatt-join-when", 1)[1].split("</p>", 1)[0]
    first_day, second_day = DAYS[language]
    assert f"{first_day}, 18:00" in when and f"{second_day}, 17:00" in when
    assert not ISO_DATE.search(when)


@pytest.mark.django_db
def test_agenda_of_one_day_shows_times_only(event, item, agenda):
    event.settings.mail_text_order_free = LazyI18nString({"de": "{agenda}"})
    place_order(event, item)
    body = djmail.outbox[0].body.replace("\r\n", "\n")
    assert "18:00 Begrüßung\n18:10 Wir vs. Virus Hackathon" in body
    html = _page(EVENT_PAGE, "de")
    assert "innowerkstatt-agenda-day" not in html
