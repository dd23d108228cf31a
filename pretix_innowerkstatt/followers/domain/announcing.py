"""Announcing a live edition to the format's confirmed followers, exactly once each.

Per batch, in one transaction holding the format's follow-settings row locked: pick confirmed
followers without an announcement of this edition, insert their ``Announcement`` rows, commit,
then hand the mails to pretix's mail system. A second run, or a second worker waiting for the
lock, finds the rows and sends nothing again; the unique (follower, edition) constraint stands
behind it in the database. Followers who hold a ticket for the edition are skipped.
"""

import logging

from django.db import transaction
from django.utils import translation
from django.utils.formats import date_format
from django.utils.timezone import now
from pretix.base.email import get_email_context
from pretix.base.models import Order, OrderPosition
from pretix.base.services.mail import mail

from ...formats.interfaces.calendar import edition_url, is_published
from .. import logtypes
from ..models import Announcement, Follower, FollowSettings
from . import following, texts, tokens

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
HOLDING_STATES = (Order.STATUS_PAID, Order.STATUS_PENDING)


def ticket_holders(edition) -> set[str]:
    """Addresses of orders (and attendees) holding a valid ticket for the edition."""
    positions = OrderPosition.objects.filter(order__event_id=edition.event_id, order__status__in=HOLDING_STATES)
    if edition.subevent_id:
        positions = positions.filter(subevent_id=edition.subevent_id)
    holders = set()
    for order_email, attendee_email in positions.values_list("order__email", "attendee_email"):
        holders.update(following.normalise(e) for e in (order_email, attendee_email) if e)
    return holders


def date_time_text(target, event) -> str:
    """ "Wednesday, 26 August 2026, 18:00 – 20:00 (Europe/Berlin)" in the active language."""
    tz = event.timezone
    start = target.date_from.astimezone(tz)
    text = f"{date_format(start, 'l')}, {date_format(start, 'DATE_FORMAT')}, {date_format(start, 'TIME_FORMAT')}"
    if target.date_to:
        end = target.date_to.astimezone(tz)
        if end.date() == start.date():
            text += f" – {date_format(end, 'TIME_FORMAT')}"
        else:
            text += f" – {date_format(end, 'DATE_FORMAT')}, {date_format(end, 'TIME_FORMAT')}"
    return f"{text} ({tz})"


class EditionMail:
    """What every follower's mail about one edition shares, rendered once per language."""

    def __init__(self, edition):
        self.edition = edition
        self.fmt = edition.format
        self.event = edition.event
        self.target = edition.target
        self.shop_url = edition_url(edition)
        self.subject = texts.announcement_subject(self.fmt)
        self.text = texts.announcement_text(self.fmt)
        self.unsubscribe_url = following.unsubscribe_url_maker(self.fmt)
        self._contexts = {}

    def context(self, locale) -> dict:
        if locale not in self._contexts:
            with translation.override(locale):
                context = get_email_context(event=self.event, event_or_subevent=self.target)
                context.update(format=str(self.fmt.name), event_date_time=date_time_text(self.target, self.event))
            self._contexts[locale] = context
        return self._contexts[locale]

    def render_for(self, follower, announcement_pk, locale=None):
        """``(subject, text, context, headers)`` of one follower's mail."""
        locale = locale or follower.locale
        unsubscribe = self.unsubscribe_url(follower) if follower.pk else "#"
        context = dict(self.context(locale))
        separator = "&" if "?" in self.shop_url else "?"
        context.update(
            url=f"{self.shop_url}{separator}{REF_PARAMETER}={tokens.attribution_token(announcement_pk)}",
            unsubscribe_url=unsubscribe,
        )
        return self.subject, self.text, context, following.unsubscribe_headers(unsubscribe)

    def send(self, follower, announcement_pk):
        subject, text, context, headers = self.render_for(follower, announcement_pk)
        with translation.override(follower.locale):
            mail(
                follower.email,
                str(subject),
                text,
                context,
                event=self.event,
                locale=follower.locale,
                headers=headers,
            )


# The shop link's query parameter carrying the signed announcement number (see interfaces/attribution.py).
REF_PARAMETER = "innowerkstatt_ref"


def _claim_batch(edition, holders, after_pk, batch_size):
    """Insert the announcement rows of the next batch; returns ``([(follower, announcement_pk)], last_pk)``."""
    with transaction.atomic():
        # Two runs for the same format wait for each other here, so none picks a follower twice.
        FollowSettings.objects.select_for_update().filter(format=edition.format).first()
        candidates = list(
            Follower.objects.filter(format=edition.format, state=Follower.CONFIRMED, pk__gt=after_pk)
            .exclude(announcements__edition=edition)
            .order_by("pk")[:batch_size]
        )
        if not candidates:
            return [], None
        chosen = [f for f in candidates if f.email not in holders]
        Announcement.objects.bulk_create([Announcement(edition=edition, follower=f) for f in chosen])
        by_follower = dict(
            Announcement.objects.filter(edition=edition, follower__in=chosen).values_list("follower_id", "pk")
        )
        return [(f, by_follower[f.pk]) for f in chosen], candidates[-1].pk


def may_announce(edition) -> bool:
    """Only published editions that have not started yet are announced."""
    return edition.event_id is not None and is_published(edition) and edition.target.date_from > now()


def announce_edition(edition, *, user=None, progress=None, batch_size: int = BATCH_SIZE) -> int:
    """Send the announcement of ``edition`` to every confirmed follower not told yet; returns how many."""
    if not may_announce(edition):
        return 0
    FollowSettings.objects.get_or_create(format=edition.format)
    holders = ticket_holders(edition)
    total = Follower.objects.filter(format=edition.format, state=Follower.CONFIRMED).count() or 1
    message = EditionMail(edition)
    sent, seen, last = 0, 0, 0
    while True:
        batch, last = _claim_batch(edition, holders, last, batch_size)
        if last is None:
            break
        for follower, announcement_pk in batch:
            follower.format = edition.format  # no query per mail for the unsubscribe link
            try:
                message.send(follower, announcement_pk)
            except Exception:  # one bad address must not stop the others; the row stays (once means once)
                logger.exception("Could not send an announcement to follower %s", follower.pk)
            sent += 1
        seen += batch_size
        if progress:
            progress(min(100, round(100 * seen / total)))
    if sent:
        edition.target.log_action(
            logtypes.ANNOUNCED,
            user=user,
            data={"count": sent, "format": str(edition.format.name), "edition": edition.pk},
        )
    return sent


def preview(edition, locale) -> tuple[str, str]:
    """Subject and plain text of the announcement of ``edition`` as a follower would read it."""
    from pretix.helpers.format import SafeFormatter, format_map

    sample = Follower(format=edition.format, email="follower@example.org", locale=locale)
    message = EditionMail(edition)
    subject, text, context, __ = message.render_for(sample, 0, locale=locale)
    with translation.override(locale):
        return (
            str(format_map(str(subject), context)),
            str(format_map(str(text), context, mode=SafeFormatter.MODE_RICH_TO_PLAIN)),
        )
