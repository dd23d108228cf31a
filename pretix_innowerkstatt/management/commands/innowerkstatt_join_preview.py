"""Where a ticket's join link leads at a given moment, with the clock frozen there.

    python -m pretix innowerkstatt_join_preview --organizer innovationsbuero --event innowerkstatt \\
        --order ABC12 [--position 1] --at "2027-01-27 19:15"
    python -m pretix innowerkstatt_join_preview ... --at work-phase

Runs the join POST's own decision (eligibility, join window, the room that applies – e.g. the
ticket's work-phase group) at ``--at`` (the event's local time; ``work-phase``: five minutes into
the ticket's work phase) and prints what the join page says and where the POST redirects. It joins
nobody: no check-in, no log entry. For the server's administrator, who may see meeting URLs.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.dateparse import parse_datetime
from django_scopes import scopes_disabled
from pretix.base.models import Event, OrderPosition

from ...videolinks.domain.config import access_rules, meeting_for
from ...videolinks.domain.eligibility import join_refusal
from ...videolinks.domain.presentation import REFUSAL_MESSAGES, format_moment
from ...videolinks.providers.base import ProviderUnavailable

WORK_PHASE = "work-phase"


class Command(BaseCommand):
    help = "Show where a ticket's join link leads at a given moment (e.g. inside the work phase), joining nobody."

    def add_arguments(self, parser):
        parser.add_argument("--organizer", required=True)
        parser.add_argument("--event", required=True)
        parser.add_argument("--order", required=True, help="Order code")
        parser.add_argument("--position", type=int, default=1, help="Ticket number within the order (default 1)")
        parser.add_argument(
            "--at",
            required=True,
            help=f'Local time of the event, e.g. "2027-01-27 19:15", or "{WORK_PHASE}" (5 minutes into the work phase)',
        )
        parser.add_argument("--locale", default="en")

    def handle(self, *args, **options):
        with scopes_disabled(), translation.override(options["locale"]):
            event = Event.objects.select_related("organizer").filter(
                organizer__slug=options["organizer"], slug=options["event"]
            )
            event = event.first()
            if event is None:
                raise CommandError(f"Unknown event {options['organizer']}/{options['event']}.")
            position = (
                OrderPosition.all.select_related("order", "item", "subevent")
                .filter(order__event=event, order__code=options["order"], positionid=options["position"])
                .first()
            )
            if position is None:
                raise CommandError(f"No ticket {options['position']} in order {options['order']}.")
            position.order.event = event
            at = self._moment(event, position, options["at"])
            self._preview(event, position, at)

    def _moment(self, event, position, value):
        if value == WORK_PHASE:
            from ...workgroups.domain.selection import group_of

            group = group_of(position)
            if group is None:
                raise CommandError("This ticket is in no work-phase group: give a time with --at.")
            return group.item.start + datetime.timedelta(minutes=5)
        moment = parse_datetime(value.replace(" ", "T"))
        if moment is None:
            raise CommandError(f'Cannot read the time {value!r}: use e.g. "2027-01-27 19:15".')
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=event.timezone)
        return moment

    def _preview(self, event, position, at):
        meeting = meeting_for(event, position.subevent_id, position.item_id)
        name = position.attendee_name or position.order.email or ""
        self.stdout.write(f"Ticket {position.order.code}-{position.positionid} ({name}) at {format_moment(at, event)}:")
        refusal = join_refusal(position, access_rules(event), meeting, at, event)
        if refusal:
            self.stdout.write(f"  Refused: {REFUSAL_MESSAGES.get(refusal, refusal)}")
            return
        room = meeting.room(position, at)
        self.stdout.write(f"  Join page: {room.title if room else 'the main meeting'}")
        try:
            target = meeting.redirect_url(position, at)
        except ProviderUnavailable:
            self.stdout.write("  Join POST: the meeting server does not answer (the attendee would see the 503 page).")
            return
        self.stdout.write(f"  Join POST redirects to: {target}")
