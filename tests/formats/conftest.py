"""Fixtures of the formats tests: the Innowerkstatt event as the template of a quarterly format."""

import pytest
from django.utils import translation
from django_scopes import scopes_disabled

from pretix_innowerkstatt.formats.demo import INNOWERKSTATT
from pretix_innowerkstatt.formats.models import Format

JOIN_URL_SETTING = "innowerkstatt_video_join_url"


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
