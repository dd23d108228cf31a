"""Data the scenarios share: a live online event like the Innowerkstatt."""

import datetime
import zoneinfo

from django.utils.timezone import now
from pretix.base.models import Event, Organizer

PLUGIN = "pretix_innowerkstatt"
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def make_event(slug: str, organizer_slug: str = "bench") -> Event:
    organizer, _ = Organizer.objects.get_or_create(slug=organizer_slug, defaults={"name": "Bench"})
    organizer.enable_plugin(PLUGIN)
    organizer.save()
    day = (now() + datetime.timedelta(days=30)).astimezone(BERLIN).date()
    start = datetime.datetime.combine(day, datetime.time(18), tzinfo=BERLIN)
    event = Event.objects.create(
        organizer=organizer,
        name="Innowerkstatt",
        slug=slug,
        date_from=start,
        date_to=start + datetime.timedelta(hours=2),
        live=True,
        plugins=PLUGIN,
    )
    event.settings.timezone = "Europe/Berlin"
    item = event.items.create(name="Teilnahme", default_price=0, admission=True)
    quota = event.quotas.create(name="Plätze", size=1000)
    quota.items.add(item)
    return event
