"""The event front page with a 30-item agenda (speakers with photos) versus the plugin disabled."""

import datetime
import io

from django.core.files.base import ContentFile
from django_scopes import scopes_disabled
from PIL import Image

from bench.harness import Scenario
from bench.setup import front_page_context, get_front_page, make_event

ITEMS = 30
SPEAKERS = 10


def add_agenda(event, items=ITEMS, speakers=SPEAKERS):
    from pretix.helpers.thumb import get_thumbnail

    from pretix_innowerkstatt.agenda.models import AgendaItem
    from pretix_innowerkstatt.agenda.presentation import THUMBNAIL_SIZE

    people = []
    for n in range(speakers):
        speaker = event.organizer.innowerkstatt_speakers.create(
            name=f"Person {n}", role={"de": f"Rolle {n}"}, biography={"de": f"Kurze **Biografie** {n}."}
        )
        buffer = io.BytesIO()
        Image.new("RGB", (400, 400), (20 * n % 255, 90, 160)).save(buffer, format="PNG")
        speaker.photo.save(f"bench-{event.slug}-{n}.png", ContentFile(buffer.getvalue()))
        get_thumbnail(speaker.photo, THUMBNAIL_SIZE)  # as the speaker form does on upload
        people.append(speaker)
    for n in range(items):
        item = AgendaItem.objects.create(
            event=event,
            start=event.date_from + datetime.timedelta(minutes=4 * n),
            end=event.date_from + datetime.timedelta(minutes=4 * n + 4),
            title={"de": f"Programmpunkt {n}", "en": f"Item {n}"},
            description={"de": f"Worum es *geht*, Teil {n}."},
            kind="talk",
        )
        item.speaker_links.create(speaker=people[n % speakers])


def setup():
    with scopes_disabled():
        event = make_event("bench-agenda")
        add_agenda(event)
    return front_page_context(event)


def _get(ctx, enabled):
    response = get_front_page(ctx, enabled)
    assert (b"innowerkstatt-agenda-item" in response.content) == enabled


SCENARIOS = [
    Scenario(
        name=f"front page, {ITEMS}-item agenda vs plugin disabled",
        setup=setup,
        baseline=lambda ctx: _get(ctx, False),
        candidate=lambda ctx: _get(ctx, True),
        goal=1.15,
    ),
]
