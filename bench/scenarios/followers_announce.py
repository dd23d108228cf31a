"""Announcing an edition to 10,000 confirmed followers, over SMTP to a local sink.

Baseline: pretix's own ``mail()`` called once per address with the same text (what sending the
list by hand through pretix costs). Candidate: ``announce_edition`` (batches, the unique
announcement rows, the per-follower unsubscribe and shop links). Both send through pretix's mail
system, which runs its send task eagerly here; the note gives mails per second and database
queries per mail of each, and the plugin's own queries per mail (candidate minus baseline).
``BENCH_FOLLOWERS`` sets the number of followers (default 10,000).
"""

import os
import socket
import sys
import time

from django.db import transaction
from django.test.utils import override_settings
from django.utils.timezone import now
from django_scopes import scope, scopes_disabled

from bench.harness import Scenario
from bench.setup import make_event

FOLLOWERS = int(os.environ.get("BENCH_FOLLOWERS", "10000"))


class Sink:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def public_format(slug):
    """A public event, and a public format with it as the template (and as its edition here)."""
    from pretix_innowerkstatt.formats.models import Format

    event = make_event(slug, organizer_slug=slug)
    event.is_public = True
    event.save()
    fmt = Format.objects.create(
        organizer=event.organizer,
        name="Innowerkstatt",
        slug="innowerkstatt",
        template_event=event,
        first_year=now().year,
        public=True,
    )
    return event, fmt


_last = {}


def setup():
    from aiosmtpd.controller import Controller

    from pretix_innowerkstatt.followers.models import Follower
    from pretix_innowerkstatt.formats.models import Edition

    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=_free_port())
    controller.start()
    smtp = override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=controller.port,
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
    )
    smtp.enable()
    with scopes_disabled(), transaction.atomic():
        event, fmt = public_format("bench-followers")
        edition = Edition.objects.create(format=fmt, key="bench", event=event, rule_start=event.date_from)
        Follower.objects.bulk_create(
            [
                Follower(
                    format=fmt,
                    email=f"follower{i}@example.org",
                    locale="de",
                    state=Follower.CONFIRMED,
                    consent_text="Ja.",
                    consent_at=now(),
                )
                for i in range(FOLLOWERS)
            ],
            batch_size=2000,
        )
        emails = list(Follower.objects.filter(format=fmt).values_list("email", flat=True))
    _last.update(
        {
            "edition": edition,
            "event": event,
            "emails": emails,
            "sink": sink,
            "controller": controller,
            "smtp": smtp,
            "times": {},
            "queries": {},
        }
    )
    return _last


class QueryCounter:
    """Counts statements without Django's query log, which keeps only the last 9,000."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def counted(ctx, side, run):
    from django.db import connection

    counter = QueryCounter()
    start = time.perf_counter()
    with connection.execute_wrapper(counter):
        run()
    ctx["times"][side] = time.perf_counter() - start
    ctx["queries"][side] = counter.count


def baseline(ctx):
    from i18nfield.strings import LazyI18nString
    from pretix.base.email import get_email_context
    from pretix.base.services.mail import mail

    from pretix_innowerkstatt.followers.domain import texts

    event = ctx["event"]

    def run():
        with scope(organizer=event.organizer):
            context = get_email_context(event=event, event_or_subevent=event)
            for email in ctx["emails"]:
                mail(
                    email,
                    str(LazyI18nString.from_gettext(texts.DEFAULT_SUBJECT)),
                    LazyI18nString.from_gettext(texts.DEFAULT_TEXT),
                    context,
                    event=event,
                    locale="de",
                )

    counted(ctx, "baseline", run)


def candidate(ctx):
    from pretix_innowerkstatt.followers.domain import announcing
    from pretix_innowerkstatt.followers.models import Announcement

    edition = ctx["edition"]
    with scopes_disabled():
        Announcement.objects.filter(edition=edition).delete()
    sent = []

    def run():
        with scope(organizer=edition.format.organizer):
            sent.append(announcing.announce_edition(edition))

    counted(ctx, "candidate", run)
    assert sent == [FOLLOWERS], sent


def teardown(ctx):
    ctx["smtp"].disable()
    ctx["controller"].stop()


class AnnounceScenario(Scenario):
    def run(self):
        result = super().run()
        queries = _last["queries"]  # of the last run of each side, counted without the capped query log
        per_mail = (queries["candidate"] - queries["baseline"]) / FOLLOWERS
        result.note = (
            f"{FOLLOWERS} mails; pretix mail(): {FOLLOWERS / (result.baseline_ms / 1000):.0f} mails/s, "
            f"{queries['baseline'] / FOLLOWERS:.1f} queries/mail; announce: "
            f"{FOLLOWERS / (result.candidate_ms / 1000):.0f} mails/s, {queries['candidate'] / FOLLOWERS:.1f} "
            f"queries/mail, of which the plugin's own {per_mail:.2f} (goal <= 3)"
        )
        print(f"  {self.name}: {result.note}", file=sys.stderr, flush=True)
        return result


SCENARIOS = [
    AnnounceScenario(
        name="followers: announce an edition (SMTP sink)",
        setup=setup,
        baseline=baseline,
        candidate=candidate,
        teardown=teardown,
        rounds=1,
        warmup=0,
    )
]
