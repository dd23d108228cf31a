"""Recurring formats from the command line, for scripting.

    python -m pretix innowerkstatt_formats list --organizer innovationsbuero
    python -m pretix innowerkstatt_formats preview --organizer innovationsbuero --format innowerkstatt [--extend 4]
    python -m pretix innowerkstatt_formats create --organizer innovationsbuero --format innowerkstatt [--extend 4]

``--json`` prints machine-readable output. ``create`` is logged like the backend's, as the
``--user`` given (whose access to the template event is then checked) or as the system.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation
from django_scopes import scopes_disabled
from pretix.base.models import Organizer, User

from ...formats.domain import creation, planning
from ...formats.domain.errors import FormatError
from ...formats.interfaces.api import planned_json
from ...formats.models import Format


class Command(BaseCommand):
    help = "List, preview and create the editions of recurring formats."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="The organiser's formats.")
        listing.add_argument("--organizer", required=True)
        listing.add_argument("--json", action="store_true")
        for name, text in (("preview", "Every planned date and what create would do."), ("create", "Create them.")):
            p = sub.add_parser(name, help=text)
            p.add_argument("--organizer", required=True)
            p.add_argument("--format", required=True, dest="format_slug")
            p.add_argument("--extend", type=int, default=0, help="Plan this many periods further first.")
            p.add_argument("--json", action="store_true")
            if name == "create":
                p.add_argument("--user", help="E-mail of the user the action is logged for.")
        parser.add_argument("--locale", default="en")

    def handle(self, *args, **options):
        with scopes_disabled(), translation.override(options["locale"]):
            try:
                organizer = Organizer.objects.get(slug=options["organizer"])
            except Organizer.DoesNotExist:
                raise CommandError(f"Unknown organiser {options['organizer']!r}.")
            try:
                return getattr(self, "_" + options["action"])(organizer, options)
            except FormatError as error:
                raise CommandError(error.message)

    def _format(self, organizer, options):
        try:
            return Format.objects.select_related("template_event", "template_subevent").get(
                organizer=organizer, slug=options["format_slug"]
            )
        except Format.DoesNotExist:
            raise CommandError(f"Unknown format {options['format_slug']!r}.")

    def _print_json(self, data):
        self.stdout.write(json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False))

    def _list(self, organizer, options):
        rows = []
        for fmt in Format.objects.filter(organizer=organizer).select_related("template_event"):
            try:
                rule = creation.rule_of(fmt).describe()
            except FormatError as error:
                rule = error.message
            rows.append({"slug": fmt.slug, "name": str(fmt.name), "rule": rule, "editions": fmt.editions.count()})
        if options["json"]:
            return self._print_json(rows)
        for row in rows:
            self.stdout.write(f"{row['slug']:<24} {row['name']:<32} {row['editions']:>3} editions  {row['rule']}")

    def _preview(self, organizer, options):
        fmt = self._format(organizer, options)
        if options["extend"]:
            creation.extend_horizon(fmt, options["extend"])
        planned = creation.plan_of(fmt)
        if options["json"]:
            return self._print_json([planned_json(p) for p in planned])
        tz = creation.timezone_of(fmt)
        for p in planned:
            start = p.start or (p.date.rule_start if p.date else None)
            when = start.astimezone(tz).strftime("%a %Y-%m-%d %H:%M") if start else "-"
            details = "; ".join([*(p.date.reasons if p.date else ()), *p.notes, *p.warnings])
            moved = " (moved)" if p.date and p.date.moved else ""
            self.stdout.write(f"{p.label:<9} {when:<22} {p.status + moved:<16} {p.slug:<28} {details}".rstrip())
        self.stdout.write(f"{len(planning.to_create(planned))} to create.")

    def _create(self, organizer, options):
        fmt = self._format(organizer, options)
        user = None
        if options.get("user"):
            user = User.objects.filter(email__iexact=options["user"]).first()
            if user is None:
                raise CommandError(f"Unknown user {options['user']!r}.")
        result = creation.create_editions(fmt, user=user, extend_by=options["extend"])
        if options["json"]:
            return self._print_json(result.as_dict())
        self.stdout.write(self.style.SUCCESS(f"Created {len(result.created)}: {', '.join(result.created) or '-'}"))
        for key, why in result.conflicts:
            self.stdout.write(self.style.WARNING(f"Not created {key}: {why}"))
        for key, why in result.offline:
            self.stdout.write(self.style.WARNING(f"Not live {key}: {why}"))
