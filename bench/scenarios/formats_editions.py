"""Creating 40 quarterly editions (10 years) of a format versus 40 plain pretix event copies.

Both sides copy the same template event with pretix's ``Event.copy_data_from`` (which also
runs every plugin's ``event_copy_data`` receiver, on both sides alike). The format side adds
what makes it a format: expanding the rule, Berlin's holidays, the preview's conflict checks,
the unique edition row, one transaction per edition, team access and the log lines.

Each call creates 40 new events under fresh short forms, so no call finds work already done;
the events of all rounds are deleted in the teardown. Rounds are few: one call is 40 copies.
"""

import datetime
import itertools

from django.db import transaction
from django.utils.timezone import now
from django_scopes import scopes_disabled
from pretix.base.models import Event

from bench.harness import Scenario
from bench.setup import make_event
from pretix_innowerkstatt.formats.demo import INNOWERKSTATT
from pretix_innowerkstatt.formats.domain import creation
from pretix_innowerkstatt.formats.models import Edition, Format

EDITIONS = 40


def setup():
    with scopes_disabled():
        template = make_event("bench-formats-template", organizer_slug="bench-formats")
        template.checkin_lists.create(name="Online", all_products=True)
        template.questions.create(question="Organisation", type="S", required=False)
        template.settings.set("innowerkstatt_video_join_url", "https://meet.example.org/bench")
        fmt = Format.objects.create(
            organizer=template.organizer,
            name={"de": "Innovationswerkstatt"},
            slug="bench",
            template_event=template,
            first_year=now().year + 1,
            first_period=1,
            count=EDITIONS,
            **INNOWERKSTATT,
        )
        dates = [d.start for d in creation.dates_of(fmt)]
    assert len(dates) == EDITIONS
    return {"template": template, "format": fmt, "dates": dates, "round": itertools.count()}


def plain_copies(ctx):
    """What an organiser gets from pretix alone: create an event, copy the template into it."""
    n = next(ctx["round"])
    template = ctx["template"]
    with scopes_disabled():
        for i, start in enumerate(ctx["dates"]):
            with transaction.atomic():
                event = Event.objects.create(
                    organizer=template.organizer,
                    name=f"Innovationswerkstatt {i}",
                    slug=f"plain-{n}-{i}",
                    date_from=start,
                    date_to=start + datetime.timedelta(hours=2),
                    currency=template.currency,
                    plugins="",
                )
                event.copy_data_from(template)


def format_editions(ctx):
    n = next(ctx["round"])
    fmt = ctx["format"]
    with scopes_disabled():
        # a fresh short form per call, so the run has 40 editions to create
        Edition.objects.filter(format=fmt).delete()
        fmt.slug_pattern = f"fmt-{n}-{{year}}-q{{q}}"
        result = creation.create_editions(fmt)
    assert len(result.created) == EDITIONS, result.as_dict()


def teardown(ctx):
    with scopes_disabled():
        organizer = ctx["template"].organizer
        Format.objects.filter(organizer=organizer).delete()
        for event in Event.objects.filter(organizer=organizer):
            event.delete_sub_objects()
            event.delete()


SCENARIOS = [
    Scenario(
        name=f"formats: {EDITIONS} quarterly editions vs {EDITIONS} plain event copies",
        setup=setup,
        baseline=plain_copies,
        candidate=format_editions,
        goal=1.25,
        rounds=3,
        warmup=1,
        teardown=teardown,
        note="one call = 40 events",
    ),
]
