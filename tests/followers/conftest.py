"""Fixtures of the followers tests: a public quarterly format with one edition, not live yet."""

import re
from urllib.parse import urlparse

import pytest
from django.utils import translation
from django_scopes import scopes_disabled

from pretix_innowerkstatt.formats.domain import creation
from tests.formats.conftest import JOIN_URL_SETTING, make_format

BASE = "/innovationsbuero/innowerkstatt/formats/innowerkstatt/"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def template(event, item):
    with scopes_disabled():
        event.settings.set(JOIN_URL_SETTING, "https://meet.example.org/innowerkstatt")
    return event


@pytest.fixture
def fmt(organizer, template):
    return make_format(organizer, template, count=1, public=True)


@pytest.fixture
def edition(fmt):
    """Innovation workshop Q1/2027 (24 Feb 2027, 18:00), created offline."""
    with scopes_disabled():
        creation.create_editions(fmt)
        edition = fmt.editions.select_related("event").get()
        assert not edition.event.live
        return edition


def path_of(url: str) -> str:
    return urlparse(url).path


def links_in(text: str) -> list[str]:
    return re.findall(r"https?://[^\s<>\")]+", text)


def link_to(message, part: str) -> str:
    """The path of the first link in ``message``'s plain text containing ``part``."""
    for url in links_in(message.body):
        if part in url:
            return path_of(url)
    raise AssertionError(f"no link with {part!r} in:\n{message.body}")
