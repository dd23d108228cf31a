"""Fixtures of the formats tests: the Innowerkstatt event as the template of a quarterly format."""

import datetime
import zoneinfo

import pytest
from django.utils import translation
from django_scopes import scopes_disabled
from pretix.base.models import Event

from pretix_innowerkstatt.agenda.models import AgendaItem
from pretix_innowerkstatt.formats.demo import INNOWERKSTATT
from pretix_innowerkstatt.formats.models import Format

JOIN_URL_SETTING = "innowerkstatt_video_join_url"
REQUIRE_URL_SETTING = "innowerkstatt_video_require_url"
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


@pytest.fixture(autouse=True)
def english():
    """Messages in English unless a test asks otherwise (a shop request may leave German active)."""
    with translation.override("en"):
        yield


def make_format(organizer, template, **kwargs):
    """Last Wednesday of the 2nd month of each quarter, 18:00–20:00, from Q1/2027, four editions.

    Q1–Q4 2027 give 24 Feb, 26 May, 25 Aug and 24 Nov 2027 (see test_rules for the reasoning).
    """
    values = dict(
        organizer=organizer,
        name={"de": "Innovationswerkstatt", "en": "Innovation workshop"},
        slug="innowerkstatt",
        template_event=template,
        first_year=2027,
        first_period=1,
        count=4,
        **INNOWERKSTATT,
    )
    values["name_pattern"] = {
        "de": "Innovationswerkstatt {quarter}/{year}",
        "en": "Innovation workshop {quarter}/{year}",
    }
    values.update(kwargs)
    with scopes_disabled():
        return Format.objects.create(**values)


@pytest.fixture
def template(event, item):
    """The shared event with its product, quota, a question and a video-conference URL (so it may go live)."""
    with scopes_disabled():
        event.settings.set(JOIN_URL_SETTING, "https://meet.example.org/innowerkstatt")
        event.checkin_lists.create(name="Online", all_products=True)
        question = event.questions.create(question={"de": "Organisation", "en": "Organisation"}, type="S")
        question.items.add(item)
    return event


@pytest.fixture
def fmt(organizer, template):
    return make_format(organizer, template)


@pytest.fixture
def series(organizer):
    with scopes_disabled():
        start = datetime.datetime(2026, 12, 2, 18, tzinfo=BERLIN)
        event = Event.objects.create(
            organizer=organizer,
            name="Innowerkstatt-Reihe",
            slug="reihe",
            date_from=start,
            has_subevents=True,
            plugins="pretix_innowerkstatt",
        )
        event.settings.timezone = "Europe/Berlin"
        item = event.items.create(name="Teilnahme", default_price=0, admission=True)
        date = event.subevents.create(
            name="Innowerkstatt", date_from=start, date_to=start + datetime.timedelta(hours=2), active=True
        )
        date.subeventitem_set.create(item=item, price=5, available_until=start - datetime.timedelta(days=1))
        quota = event.quotas.create(name="Plätze", size=40, subevent=date)
        quota.items.add(item)
        event.checkin_lists.create(name="Einlass", subevent=date, all_products=True)
        for minutes, title in ((0, "Begrüßung"), (10, "Impuls"), (120, "Ende")):
            AgendaItem.objects.create(
                event=event, subevent=date, start=start + datetime.timedelta(minutes=minutes), title={"de": title}
            )
        return event, date, item
