"""The event front page with the plugin enabled (nothing configured) versus disabled."""

from django_scopes import scopes_disabled

from bench.harness import Scenario
from bench.setup import front_page_context, get_front_page, make_event


def setup():
    with scopes_disabled():
        return front_page_context(make_event("bench-core"))


SCENARIOS = [
    Scenario(
        name="front page, plugin enabled but empty",
        setup=setup,
        baseline=lambda ctx: get_front_page(ctx, False),
        candidate=lambda ctx: get_front_page(ctx, True),
        note="reference: what enabling the plugin costs a page that uses none of it",
    ),
]
