"""The agenda costs a constant number of queries, however long it is."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled
from i18nfield.strings import LazyI18nString
from PIL import Image
from pretix.base.email import get_email_context
from pretix.helpers.thumb import get_thumbnail

from pretix_innowerkstatt.agenda import caching
from pretix_innowerkstatt.agenda.models import AgendaItem
from pretix_innowerkstatt.agenda.presentation import THUMBNAIL_SIZE

from .orders import place_order


def add_agenda(event, items, speakers):
    """``items`` items with ``speakers`` speakers (with photos) spread over them, two per item."""
    organizer = event.organizer
    with scopes_disabled():
        AgendaItem.objects.filter(event=event).delete()
        people = []
        for n in range(speakers):
            speaker = organizer.innowerkstatt_speakers.create(name=f"Person {n}", role={"de": f"Rolle {n}"})
            buffer = io.BytesIO()
            Image.new("RGB", (40, 40), (n * 10 % 255, 80, 120)).save(buffer, format="PNG")
            speaker.photo.save(f"p{n}.png", ContentFile(buffer.getvalue()))
            get_thumbnail(speaker.photo, THUMBNAIL_SIZE)  # as the speaker form does on upload
            people.append(speaker)
        for n in range(items):
            item = AgendaItem.objects.create(
                event=event,
                start=event.date_from + datetime.timedelta(minutes=2 * n),
                end=event.date_from + datetime.timedelta(minutes=2 * n + 2),
                title={"de": f"Punkt {n}"},
                description={"de": f"*Beschreibung* {n}"},
            )
            for offset in range(2):
                item.speaker_links.create(speaker=people[(2 * n + offset) % speakers], position=offset)


def count(fn, *, cached=False):
    """Queries of one ``fn()``: rendering the agenda afresh, or (``cached``) reusing the last rendering.

    The first call only warms pretix's own caches (settings, plugins); without ``cached``, the
    plugin's renderings are forgotten before the measured call, so it reads the agenda as the
    first page or mail after a change does.
    """
    fn()
    with CaptureQueriesContext(connection) as queries:
        if not cached:
            caching.forget_all()
        fn()
    return len(queries.captured_queries)


@pytest.mark.django_db
def test_event_page_queries_do_not_grow_with_agenda(client, event, item):
    def page():
        response = client.get("/innovationsbuero/innowerkstatt/")
        assert response.status_code == 200
        return response

    without = count(page)
    add_agenda(event, items=3, speakers=2)
    small = count(page)
    assert page().content.decode().count('class="innowerkstatt-agenda-item') == 3
    small_cached = count(page, cached=True)
    add_agenda(event, items=60, speakers=20)
    large = count(page)
    assert page().content.decode().count('class="innowerkstatt-agenda-item') == 60
    large_cached = count(page, cached=True)
    assert small == large
    # Agenda version, items, their speakers, thumbnails, and the settings lookups of the two signals.
    assert small - without <= 6
    # A rendering reused for an unchanged agenda costs the same few queries (its version), not
    # the items, speakers and thumbnails again.
    assert small_cached == large_cached <= small - 3


@pytest.mark.django_db
def test_confirmation_mail_queries_do_not_grow_with_agenda(event, item):
    order = place_order(event, item)
    text = LazyI18nString({"de": "Ablauf:\n\n{agenda}\n\n{speakers}"})

    def render():
        from pretix.base.services.mail import render_mail

        with scope(organizer=event.organizer):
            context = get_email_context(event=event, order=order)
            body = render_mail(text, context)
            html = event.get_html_mail_renderer().render(str(text), "", "Betreff", order, None, context)
        return body, html

    without = count(render)
    add_agenda(event, items=3, speakers=2)
    small = count(render)
    assert render()[0].count("Punkt") == 3
    small_cached = count(render, cached=True)
    add_agenda(event, items=60, speakers=20)
    large = count(render)
    body, html = render()
    assert body.count("Punkt") == 60 and "<li>" in html
    large_cached = count(render, cached=True)
    assert small == large
    assert small - without <= 3
    assert small_cached == large_cached <= small - 3
