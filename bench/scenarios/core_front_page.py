"""The event front page with the plugin enabled (nothing configured) versus disabled."""

from django.test import Client
from django_scopes import scopes_disabled

from bench.harness import Scenario
from bench.setup import PLUGIN, make_event


def setup():
    with scopes_disabled():
        event = make_event("bench-core")
    return {"event": event, "client": Client(), "url": f"/{event.organizer.slug}/{event.slug}/"}


def _get(ctx, enabled):
    event = ctx["event"]
    with scopes_disabled():
        if enabled:
            event.enable_plugin(PLUGIN)
        else:
            event.disable_plugin(PLUGIN)
        event.save(update_fields=["plugins"])
    response = ctx["client"].get(ctx["url"])
    assert response.status_code == 200, response.status_code


SCENARIOS = [
    Scenario(
        name="front page, plugin enabled but empty",
        setup=setup,
        baseline=lambda ctx: _get(ctx, False),
        candidate=lambda ctx: _get(ctx, True),
        goal=1.05,
    ),
]
