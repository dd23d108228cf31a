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


def front_page_context(event) -> dict:
    from django.test import Client

    return {"event": event, "client": Client(), "url": f"/{event.organizer.slug}/{event.slug}/"}


def get_front_page(ctx, plugin_enabled: bool):
    """The event page as a visitor gets it, with the plugin switched on or off for the event."""
    from django_scopes import scopes_disabled

    event = ctx["event"]
    with scopes_disabled():
        if plugin_enabled:
            event.enable_plugin(PLUGIN)
        else:
            event.disable_plugin(PLUGIN)
        event.save(update_fields=["plugins"])
    response = ctx["client"].get(ctx["url"])
    assert response.status_code == 200, response.status_code
    return response
