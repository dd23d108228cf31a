"""Management code of the load benchmark, run inside the benchmark's pretix (its own config file).

    python -m bench.load.prepare --out FILE --attendees N [--workgroups G]

migrates, seeds and writes the attendees' join paths (or why there is no join view) as JSON.
With ``--workgroups G`` a second event of N attendees gets a work phase running now (from 10
minutes ago for an hour) with G groups, each with its own meeting URL, and every ticket in one
of them; its join paths and group rooms come under ``"work"``.

Seeding is idempotent: one organiser, one live event with the plugin enabled and the video link
configured with its window open now, and N paid orders with one admission position each. The
event's dates move with every run so that the window is open whenever the benchmark runs.
"""

import argparse
import datetime
import json
import os
import sys
from decimal import Decimal

import django

PLUGIN = "pretix_innowerkstatt"
ORGANIZER_SLUG = "bench-load"
MEETING_URL = "https://meet.innowerkstatt.example/r/werkstatt-load"
# The providers the benchmark measures, with benchmark-only credentials. BigBlueButton's API URL is
# that of the local stand-in server (``--bbb-url``), which the join POST calls (``create``).
PROVIDERS = ("generic", "jitsi", "bigbluebutton")
WORK_GROUPS = 10  # groups of the work-phase burst (issue 12: 1,000 attendees in 10 groups)
JITSI_SETTINGS = {
    "domain": "meet.innowerkstatt.example",
    "app_id": "innowerkstatt-load",
    "app_secret": "load-benchmark-only-jwt-secret-of-32-bytes",  # PyJWT warns below 32 bytes for HS256
}
BBB_SECRET = "innowerkstatt-load-benchmark-bbb-secret"
STATIC_LOCK = "/tmp/innowerkstatt-static.lock"


# --- database schema ------------------------------------------------------------------------
def migrate():
    """pretix's migrations when needed; the plugin's tables from migrations, or from its models.

    While the plugin ships no migrations its tables are rebuilt from the models on every run
    (they hold benchmark data only, and the models may have changed). Once the plugin has
    migrations, tables left over from that stage are dropped once and plain ``migrate`` takes over.
    With ``INNOWERKSTATT_PG_SKIP_MIGRATIONS`` set (as for the tests), the plugin's tables are
    rebuilt from the models after migrating: for models changed ahead of their migration.
    """
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.db.migrations.recorder import MigrationRecorder

    executor = MigrationExecutor(connection)
    # An empty migrations package still counts as "migrated" for Django: look for actual files.
    plugin_migrated = any(app == PLUGIN for app, _ in executor.loader.disk_migrations)
    recorder = MigrationRecorder(connection)
    plugin_recorded = recorder.has_table() and recorder.migration_qs.filter(app=PLUGIN).exists()
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plugin_recorded and any(migration.app_label == PLUGIN for migration, _ in plan):
        # Tables of an earlier run may stem from newer models than the recorded migrations
        # (``INNOWERKSTATT_PG_SKIP_MIGRATIONS``): applying the new migrations over them would fail.
        # They hold benchmark data only: the plugin's migrations run again from the start.
        recorder.migration_qs.filter(app=PLUGIN).delete()
        plugin_recorded = False
    if not plugin_recorded:
        _drop_plugin_tables(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        print("applying migrations (the first run takes a few minutes) …", file=sys.stderr, flush=True)
        call_command("migrate", interactive=False, verbosity=0)
    from_models = bool(os.environ.get("INNOWERKSTATT_PG_SKIP_MIGRATIONS"))
    if plugin_migrated and from_models:
        _drop_plugin_tables(connection)
    if not plugin_migrated or from_models:
        with connection.schema_editor() as editor:
            for model in apps.get_app_config(PLUGIN).get_models():
                editor.create_model(model)


def _drop_plugin_tables(connection):
    tables = [t for t in connection.introspection.table_names() if t.startswith(f"{PLUGIN}_")]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'DROP TABLE IF EXISTS "{table}" CASCADE')


# --- static files -----------------------------------------------------------------------------
def build_static_files():
    """What pretix's ``rebuild`` does for a production deployment: collected and compressed files.

    With DEBUG off, every page needs its files in ``staticfiles.json`` and its ``{% compress %}``
    blocks in the offline manifest; both live in pretix's shared ``static.dist`` and go stale
    whenever templates or static files change, so they are brought up to date on every run
    (a few seconds when little changed), one process at a time.
    """
    import fcntl

    from django.core.management import call_command

    with open(STATIC_LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        call_command("collectstatic", interactive=False, verbosity=0)
        call_command("compress", verbosity=0)


# --- data -----------------------------------------------------------------------------------
def seed(attendees: int, slug: str | None = None):
    from django.db import connection, transaction
    from django.utils.timezone import now
    from pretix.base.models import Event, Order, OrderPosition, Organizer

    organizer, _ = Organizer.objects.get_or_create(slug=ORGANIZER_SLUG, defaults={"name": "Load benchmark"})
    if not organizer.get_plugins() or PLUGIN not in organizer.get_plugins():
        organizer.enable_plugin(PLUGIN)
        organizer.save()
    start = now().replace(microsecond=0) + datetime.timedelta(minutes=5)
    slug = slug or f"burst{attendees}"
    with transaction.atomic():
        event, created = Event.objects.get_or_create(
            organizer=organizer,
            slug=slug,
            defaults={"name": "Innowerkstatt load", "date_from": start, "currency": "EUR", "live": True},
        )
        event.date_from = start
        event.date_to = start + datetime.timedelta(hours=2)
        event.live = True
        if PLUGIN not in event.get_plugins():
            event.enable_plugin(PLUGIN)
        event.save()
        if created:
            event.settings.timezone = "Europe/Berlin"
            event.settings.locales = ["de", "en"]
            event.settings.locale = "de"
        item = event.items.filter(admission=True).first()
        if item is None:
            item = event.items.create(name="Teilnahme", default_price=0, admission=True)
            quota = event.quotas.create(name="Plätze", size=None)
            quota.items.add(item)
        if OrderPosition.objects.filter(order__event=event).count() != attendees:
            Order.objects.filter(event=event).delete()
            _create_orders(event, item, attendees)
    # Without statistics on freshly bulk-written tables PostgreSQL guesses one row per table and
    # picks nested loops over all of them; a production database has been analysed long ago.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return event


def _create_orders(event, item, attendees: int):
    """Paid orders with one admission position each, written in bulk like an imported audience."""
    from django.utils.crypto import get_random_string
    from django.utils.timezone import now
    from pretix.base.models import Order, OrderPosition

    channel = event.organizer.sales_channels.get(identifier="web")
    created = now()
    orders = Order.objects.bulk_create(
        Order(
            event=event,
            organizer=event.organizer,
            # Unique per organiser: one letter per event kind, the audience size, the number.
            code=f"{event.slug[0].upper()}{attendees}X{i:04d}",
            status=Order.STATUS_PAID,
            email=f"attendee{i}@innowerkstatt.example",
            locale="de",
            datetime=created,
            expires=created + datetime.timedelta(days=14),
            total=Decimal("0.00"),
            sales_channel=channel,
        )
        for i in range(attendees)
    )
    OrderPosition.objects.bulk_create(
        OrderPosition(
            order=order,
            organizer=event.organizer,
            item=item,
            positionid=1,
            price=Decimal("0.00"),
            tax_rate=Decimal("0.00"),
            tax_value=Decimal("0.00"),
            attendee_name_parts={"_legacy": f"Teilnehmerin {i}"},
            secret=get_random_string(32),
            pseudonymization_id=f"LB{event.pk}X{i:06d}",
        )
        for i, order in enumerate(orders)
    )


# --- the feature under test ---------------------------------------------------------------------
def join_requests(event, provider="generic", bbb_url=None) -> dict:
    """The attendees' join paths, or why the join view cannot be measured (yet)."""
    from django.urls import NoReverseMatch
    from pretix.base.models import OrderPosition

    try:
        from pretix_innowerkstatt.videolinks.domain.checkin import ensure_checkin_list
        from pretix_innowerkstatt.videolinks.domain.config import configure_event
        from pretix_innowerkstatt.videolinks.domain.links import join_path

        positions = OrderPosition.objects.filter(order__event=event).select_related("order__event__organizer")
        join_path(positions.first())
    except (ImportError, NoReverseMatch) as e:
        return {"available": False, "reason": f"join view not available ({type(e).__name__}: {e})"}
    # The audience clicks in the minute of the start: the window has been open for a while.
    configure_event(event, opens_minutes_before=60, closes_minutes_after=None, log=False)
    use_provider(event, provider, bbb_url)
    _forget_joins(event)
    return {
        "available": True,
        "checkin_list": ensure_checkin_list(event).pk,
        "paths": [join_path(p) for p in positions.order_by("pk")],
    }


def work_phase(event, groups: int) -> dict:
    """A work phase running now with ``groups`` groups (generic provider, each its own URL), everyone in one.

    Through the work-phase groups' own write paths: the agenda item with ``save_item``, the
    groups with ``create_group``, the members with ``assign_rest`` (the least full group first,
    so the groups end up equally full). Idempotent: the work phase moves with every run, groups
    and members are only added where missing. Returns ``{group room URL: members}``.
    """
    from django.utils.timezone import now

    from pretix_innowerkstatt.agenda.domain.editing import save_item
    from pretix_innowerkstatt.agenda.models import AgendaItem
    from pretix_innowerkstatt.workgroups.domain.managing import create_group
    from pretix_innowerkstatt.workgroups.domain.membership import assign_rest, member_counts
    from pretix_innowerkstatt.workgroups.models import WorkGroup

    at = now().replace(microsecond=0)
    item = AgendaItem.objects.filter(event=event, subevent=None, kind=AgendaItem.KIND_WORK).first()
    if item is None:
        item = AgendaItem(event=event, kind=AgendaItem.KIND_WORK, title={"de": "Arbeitsphase", "en": "Work phase"})
    item.start, item.end = at - datetime.timedelta(minutes=10), at + datetime.timedelta(hours=1)
    save_item(item)
    attendees = _ticket_count(event)
    capacity = -(-attendees // groups)
    existing = {g.position: g for g in WorkGroup.objects.filter(item=item)}
    for i in range(groups):
        if i not in existing:
            existing[i] = create_group(
                item, name={"de": f"Gruppe {i + 1}"}, capacity=capacity, meeting_url=f"{MEETING_URL}-group-{i + 1}"
            )
    assign_rest(event)
    chosen = [existing[i] for i in range(groups)]
    counts = member_counts([g.pk for g in chosen])
    return {g.meeting_url: counts[g.pk] for g in chosen}


def _ticket_count(event) -> int:
    from pretix.base.models import OrderPosition

    return OrderPosition.objects.filter(order__event=event).count()


def use_provider(event, provider: str, bbb_url: str | None = None):
    """The meeting service the join POSTs lead to: a plain URL, a JWT per attendee, or a signed BBB join."""
    from pretix_innowerkstatt.videolinks.domain.config import configure_event
    from pretix_innowerkstatt.videolinks.domain.providers import get_provider

    if provider == "jitsi":
        values, url = JITSI_SETTINGS, MEETING_URL
    elif provider == "bigbluebutton":
        if not bbb_url:
            raise SystemExit("--bbb-url is needed for the BigBlueButton provider")
        values, url = {"api_url": bbb_url, "shared_secret": BBB_SECRET}, bbb_url
    else:
        values, url = {}, MEETING_URL
    chosen = get_provider(provider)
    if chosen.identifier != provider:
        raise SystemExit(f"provider {provider!r} is not registered")
    settings = {chosen.setting_name(name): value for name, value in values.items()}
    configure_event(event, url=url, provider=provider, provider_settings=settings, log=False)


def _forget_joins(event):
    """Each run counts its own joins: remove the check-ins and log lines of earlier runs."""
    from pretix.base.models import Checkin, LogEntry

    Checkin.all.filter(position__order__event=event).delete()
    LogEntry.objects.filter(event=event).delete()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--attendees", type=int, default=1000)
    parser.add_argument("--provider", choices=PROVIDERS, default="generic")
    parser.add_argument("--workgroups", type=int, default=0, help="groups of the work-phase event (0: no such event)")
    parser.add_argument("--bbb-url", help="API URL of the BigBlueButton stand-in server")
    parser.add_argument(
        "--provider-only", action="store_true", help="only switch the seeded event to --provider (servers running)"
    )
    args = parser.parse_args()
    django.setup()
    from django.db import connection
    from django_scopes import scopes_disabled

    with scopes_disabled():
        if args.provider_only:
            from pretix.base.models import Event

            event = Event.objects.get(organizer__slug=ORGANIZER_SLUG, slug=f"burst{args.attendees}")
            use_provider(event, args.provider, args.bbb_url)
            with open(args.out, "w") as f:
                json.dump({"provider": args.provider}, f)
            return
        migrate()
        build_static_files()
        event = seed(args.attendees)
        result = {
            "organizer": event.organizer.slug,
            "event": event.slug,
            **join_requests(event, args.provider, args.bbb_url),
        }
        if args.workgroups and result["available"]:
            work_event = seed(args.attendees, slug=f"work{args.attendees}g{args.workgroups}")
            rooms = work_phase(work_event, args.workgroups)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # the members just written, as in seed()
            result["work"] = {"event": work_event.slug, "rooms": rooms, **join_requests(work_event)}
    with open(args.out, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
