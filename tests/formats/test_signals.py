"""The formats receivers are plain @receiver functions that work outside the request's scope."""

import datetime

import pytest
from django.test import RequestFactory
from django_scopes import scopes_disabled
from pretix.presale.signals import front_page_bottom

from pretix_innowerkstatt.formats import signals
from pretix_innowerkstatt.formats.domain import creation

from .conftest import make_format

pytestmark = pytest.mark.django_db


def test_front_page_section_reads_editions_outside_the_requests_scope(organizer, template):
    fmt = make_format(organizer, template, publish=True)
    with scopes_disabled():
        creation.create_editions(fmt, now=datetime.datetime(2026, 11, 23, tzinfo=datetime.UTC))
        edition_event = fmt.editions.get(key="2027-Q1").event
    request = RequestFactory().get("/")
    # no scope is active here, as when pretix renders a TemplateResponse late
    html = signals.other_editions_on_front_page(edition_event, request=request)
    assert "innowerkstatt-2027-q2" in html


def test_receivers_are_connected_once_with_their_dispatch_uid():
    uids = [entry[0][0] for entry in front_page_bottom.receivers]
    assert uids.count("innowerkstatt_formats_front_page_bottom") == 1
