import logging

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from ...agenda import demo as agenda_demo
from ...core import demo as core_demo
from ...followers import demo as followers_demo
from ...formats import demo as formats_demo
from ...slots import demo as slots_demo
from ...videolinks import demo as videolinks_demo
from ...workgroups import demo as workgroups_demo


class Command(BaseCommand):
    help = (
        "Create or update the demo organiser, events and data of `make demo` (idempotent). It creates a "
        "superuser with a known password, so it runs only with DEBUG on or with --yes-i-am-a-demo."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--yes-i-am-a-demo",
            action="store_true",
            dest="confirmed",
            help="Run although DEBUG is off: this installation is a demo (it gets a superuser admin@localhost/admin).",
        )

    def handle(self, *args, **options):
        if not (settings.DEBUG or options["confirmed"]):
            raise CommandError(
                "This command creates a superuser with a known password and is meant for a demo "
                "installation only. Run it with DEBUG on, or confirm with --yes-i-am-a-demo."
            )
        # Eager Celery tasks log every run at INFO in debug mode; the demo's output is the summary.
        for noisy in ("celery", "kombu", "pretix.base.services"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
        demo = core_demo.build(settings.SITE_URL)
        with scopes_disabled():
            for capability in (agenda_demo, videolinks_demo, slots_demo, formats_demo, followers_demo, workgroups_demo):
                capability.seed(demo)
        o = demo.organizer.slug
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("pretix with pretix-innowerkstatt is ready:"))
        self.stdout.write(f"  Shop:     {demo.base_url}/{o}/{demo.innowerkstatt.slug}/")
        self.stdout.write(f"            {demo.base_url}/{o}/{demo.update_deutschland.slug}/")
        self.stdout.write(f"  Backend:  {demo.base_url}/control/event/{o}/{demo.innowerkstatt.slug}/")
        self.stdout.write(f"  Login:    {core_demo.ADMIN_EMAIL} / {core_demo.ADMIN_PASSWORD}")
        self.stdout.write("  Mails:    .demo-data/mails/ (every mail pretix sends, as .eml)")
        for line in demo.lines:
            self.stdout.write(f"  {line}")
