"""Announcing an edition to 10,000 confirmed followers, over SMTP to a local sink.

The announcement runs as it does in production: the plugin's task hands each follower's mail
to pretix's mail system (``mail()``: rendering, the outgoing-mail row), and pretix's mail
workers deliver them afterwards (``mail_send_task``, one SMTP connection per mail). The two
phases are measured apart:

- **queueing** (the announcement task): all ``BENCH_FOLLOWERS`` followers (default 10,000).
  pretix's send tasks are collected as a broker would hold them instead of running eagerly.
  Baseline: pretix's own ``mail()`` once per address with the same text, on
  ``BENCH_FOLLOWERS_SAMPLE`` addresses (default 1,000), scaled to the same number of mails.
- **delivery** (pretix's send task over SMTP to the sink): the first ``BENCH_FOLLOWERS_SAMPLE``
  queued mails; the sink counts what arrives.

Queries are counted without Django's capped query log. The plugin's own queries per mail are
the announcement's minus those of the baseline ``mail()`` calls (per mail).
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
SAMPLE = min(FOLLOWERS, int(os.environ.get("BENCH_FOLLOWERS_SAMPLE", "1000")))


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
    return {
        "edition": edition,
        "event": event,
        "emails": emails,
        "sink": sink,
        "controller": controller,
        "smtp": smtp,
    }


class QueryCounter:
    """Counts statements without Django's query log, which keeps only the last 9,000."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class HeldSendTasks:
    """Stands in for celery's ``chain`` in pretix's mail module: keeps the send tasks, as a broker queue would."""

    def __init__(self):
        self.held = []

    def __call__(self, *tasks):
        held = self.held

        class Chain:
            def apply_async(self):
                held.extend(tasks)

        return Chain()


def counted(run):
    """``(seconds, queries, held send tasks)`` of ``run()`` with pretix's send tasks held back."""
    from unittest import mock

    from django.db import connection

    counter, queue = QueryCounter(), HeldSendTasks()
    start = time.perf_counter()
    with connection.execute_wrapper(counter), mock.patch("pretix.base.services.mail.chain", queue):
        run()
    return time.perf_counter() - start, counter.count, queue.held


def queue_by_hand(ctx, addresses=None):
    """pretix's ``mail()`` once per address of the sample, with the announcement's default text."""
    from i18nfield.strings import LazyI18nString
    from pretix.base.email import get_email_context
    from pretix.base.services.mail import mail

    from pretix_innowerkstatt.followers.domain import texts

    event = ctx["event"]

    def run():
        with scope(organizer=event.organizer):
            context = get_email_context(event=event, event_or_subevent=event)
            for email in ctx["emails"][:SAMPLE] if addresses is None else addresses:
                mail(
                    email,
                    str(LazyI18nString.from_gettext(texts.DEFAULT_SUBJECT)),
                    LazyI18nString.from_gettext(texts.DEFAULT_TEXT),
                    context,
                    event=event,
                    locale="de",
                )

    return counted(run)


def announce(ctx):
    """The plugin's announcement of the edition to every confirmed follower."""
    from pretix_innowerkstatt.followers.domain import announcing
    from pretix_innowerkstatt.followers.models import Announcement

    edition = ctx["edition"]
    with scopes_disabled():
        Announcement.objects.filter(edition=edition).delete()
    sent = []

    def run():
        with scope(organizer=edition.format.organizer):
            sent.append(announcing.announce_edition(edition))

    result = counted(run)
    assert sent == [FOLLOWERS], sent
    return result


def deliver(ctx, send_tasks):
    """pretix's send task for each held mail, eagerly, over SMTP to the sink."""
    from django.db import connection

    counter = QueryCounter()
    before = ctx["sink"].count
    start = time.perf_counter()
    with connection.execute_wrapper(counter):
        for task in send_tasks:
            task.apply()
    seconds = time.perf_counter() - start
    assert ctx["sink"].count - before == len(send_tasks), (ctx["sink"].count, before, len(send_tasks))
    return seconds, counter.count


def teardown(ctx):
    ctx["smtp"].disable()
    ctx["controller"].stop()


class AnnounceScenario(Scenario):
    """Each side runs once (10,000 mails take minutes): no warm-up, no alternating rounds."""

    def run(self):
        import logging

        from bench.harness import Result

        logging.disable(logging.INFO)  # pretix and the SMTP sink log every mail
        ctx = setup()
        try:
            # First calls import pretix's URL configuration and fill its caches: not part of either side.
            deliver(ctx, queue_by_hand(ctx, ["warm-up@example.org"])[2])
            hand_s, hand_q, __ = queue_by_hand(ctx)
            announce_s, announce_q, held = announce(ctx)
            deliver_s, deliver_q = deliver(ctx, held[:SAMPLE])
        finally:
            teardown(ctx)
            logging.disable(logging.NOTSET)
        scale = FOLLOWERS / SAMPLE
        own_per_mail = announce_q / FOLLOWERS - hand_q / SAMPLE
        result = Result(
            name=self.name,
            baseline_ms=hand_s * scale * 1000,
            candidate_ms=announce_s * 1000,
            baseline_queries=round(hand_q * scale),
            candidate_queries=announce_q,
            goal=self.goal,
        )
        result.note = (
            f"{FOLLOWERS} followers; queueing: pretix mail() {SAMPLE / hand_s:.0f} mails/s, "
            f"{hand_q / SAMPLE:.2f} queries/mail; announcement {FOLLOWERS / announce_s:.0f} mails/s, "
            f"{announce_q / FOLLOWERS:.2f} queries/mail, of which the plugin's own {own_per_mail:.2f} (goal <= 3); "
            f"delivery by pretix's send task over SMTP ({SAMPLE} mails): {SAMPLE / deliver_s:.0f} mails/s, "
            f"{deliver_q / SAMPLE:.1f} queries/mail"
        )
        print(f"  {self.name}: {result.note}", file=sys.stderr, flush=True)
        return result


SCENARIOS = [
    AnnounceScenario(
        name="followers: announce an edition (SMTP sink)",
        setup=setup,
        baseline=queue_by_hand,
        candidate=announce,
        teardown=teardown,
        rounds=0,
        warmup=0,
    )
]
