import logging

from django.conf import settings
from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled

from ...agenda import demo as agenda_demo
from ...core import demo as core_demo
from ...formats import demo as formats_demo
from ...videolinks import demo as videolinks_demo


class Command(BaseCommand):
    help = "Create or update the demo organiser, events and data of `make demo` (idempotent)."

    def handle(self, *args, **options):
        # Eager Celery tasks log every run at INFO in debug mode; the demo's output is the summary.
        for noisy in ("celery", "kombu", "pretix.base.services"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
        demo = core_demo.build(settings.SITE_URL)
        with scopes_disabled():
            for capability in (agenda_demo, videolinks_demo, formats_demo):
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
