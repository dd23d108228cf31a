"""Data of the real-worker test, written inside that test's pretix (its own config file).

    python -m tests.scaleout.seed --out FILE --organizer SLUG --event SLUG --run RUN

Runs after ``bench.load.prepare`` (migrations, static files, an event with paid orders and a
video link) and adds what the test drives through the backend: a user in a team with every
permission, a quarterly format made from the event that has not created any edition yet, and a
meeting URL of this run, so every ticket's access details are new and the "Updated access
information" mailing has something to send. Writes what the test needs as JSON.
"""

import argparse
import datetime
import json
import sys

import django

PLUGIN = "pretix_innowerkstatt"
USER_EMAIL = "scaleout@innowerkstatt.example"
USER_PASSWORD = "scaleout-test-only-password"
EDITIONS = 3


def plugin_tables_match_models():
    """While the plugin's models have changes without a migration, its tables are built from the models.

    Model changes get their migration in one reviewed step (CONTRIBUTING.md); until then
    ``migrate`` leaves the plugin's tables behind the code. The migration records are removed
    too, so that ``bench.load.prepare`` drops these tables and migrates afresh once the
    migration exists.
    """
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    try:
        call_command("makemigrations", PLUGIN, check=True, dry_run=True, verbosity=0)
        return
    except SystemExit:
        pass
    print("the plugin's models have changes without a migration: tables built from the models", file=sys.stderr)
    MigrationRecorder(connection).migration_qs.filter(app=PLUGIN).delete()
    models = list(apps.get_app_config(PLUGIN).get_models())
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f'DROP TABLE IF EXISTS "{model._meta.db_table}" CASCADE')
    with connection.schema_editor() as editor:
        for model in models:
            editor.create_model(model)


def login_user(organizer):
    from pretix.base.models import Team, User

    user = User.objects.filter(email=USER_EMAIL).first() or User(email=USER_EMAIL)
    user.set_password(USER_PASSWORD)
    user.save()
    team, _ = Team.objects.get_or_create(
        organizer=organizer,
        name="Scale-out test",
        defaults=dict(all_events=True, all_event_permissions=True, all_organizer_permissions=True),
    )
    team.members.add(user)
    return user


def new_format(event, run: str):
    """A quarterly format of ``EDITIONS`` editions from the next quarter on, none created yet."""
    from django.utils.timezone import now

    from pretix_innowerkstatt.formats.demo import INNOWERKSTATT
    from pretix_innowerkstatt.formats.domain.rules import Period
    from pretix_innowerkstatt.formats.models import Format

    rule = dict(INNOWERKSTATT, slug_pattern=f"so{run}-{{year}}-q{{q}}")
    first = Period.of(now().astimezone(datetime.UTC).date(), rule["interval"]).shifted(1)
    return Format.objects.create(
        organizer=event.organizer,
        slug=f"scaleout-{run}",
        name={"en": f"Scale-out {run}"},
        template_event=event,
        count=EDITIONS,
        first_year=first.year,
        first_period=first.index,
        **rule,
    )


def new_meeting_url(event, run: str) -> str:
    """The event's meeting moves: every ticket's access details change, no ticket has been told yet."""
    from pretix_innowerkstatt.videolinks.domain.config import configure_event
    from pretix_innowerkstatt.videolinks.models import AccessUpdateNotification

    AccessUpdateNotification.objects.filter(position__order__event=event).delete()
    url = f"https://meet.innowerkstatt.example/r/scaleout-{run}"
    configure_event(event, url=url, log=False)
    return url


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--organizer", required=True)
    parser.add_argument("--event", required=True)
    parser.add_argument("--run", required=True)
    args = parser.parse_args()
    django.setup()
    from django_scopes import scopes_disabled
    from pretix.base.models import Event, Order

    from pretix_innowerkstatt.formats.domain.rules import Period

    with scopes_disabled():
        plugin_tables_match_models()
        event = Event.objects.select_related("organizer").get(organizer__slug=args.organizer, slug=args.event)
        login_user(event.organizer)
        fmt = new_format(event, args.run)
        # The test holds this period's claim to show the task status while the task waits on it.
        second = Period(fmt.first_year, fmt.first_period, fmt.interval).shifted(1)
        result = {
            "user": {"email": USER_EMAIL, "password": USER_PASSWORD},
            "format": {"id": fmt.pk, "slug": fmt.slug, "editions": EDITIONS, "second_key": second.key},
            "meeting_url": new_meeting_url(event, args.run),
            "buyers": sorted(Order.objects.filter(event=event).values_list("email", flat=True)),
        }
    with open(args.out, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
