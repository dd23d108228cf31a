"""The "Updated access information" mailing: each ticket once per state of its access details.

Who gets which mail: a ticket with its own attendee email address gets a mail of its own (with
only that ticket's link); the tickets of an order without one go to the buyer, in ONE mail per
order that lists each of these tickets' details - not one mail per ticket to the same address.

A row (position, fingerprint of the details) per ticket is written in the same transaction as
its mail is queued; the unique constraint turns a second run - even a concurrent one - into a
no-op for every ticket that already got this version. The fingerprint covers the meeting
details and the join window, so a new URL or a new time of the event or date means a new mail.
Mails go through pretix's ``order.send_mail`` and are logged on the order like pretix's own.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from i18nfield.strings import LazyI18nString
from pretix.base.email import get_email_context
from pretix.base.i18n import language
from pretix.base.models import OrderPosition

from ..interfaces.placeholders import details_for
from ..logtypes import ACCESS_UPDATE_BUYER_MAIL, ACCESS_UPDATE_MAIL, ACCESS_UPDATE_SENT
from ..models import AccessUpdateNotification
from .attendees import accesses
from .config import fingerprint

# pretix's waiting page is told how far the mailing got after this many mails (and at the end).
PROGRESS_EVERY = 20


def _subject():
    return _("Updated access information: {event}")


def _text():
    return _(
        "Hello,\n\n"
        "the access information for {event} has changed. Your personal join link stays the same; "
        "it now leads to the current video conference. Here are the current details:\n\n"
        "{join_details}\n\n"
        "See you soon!"
    )


@dataclass
class Mailing:
    """One mail: to an attendee (``position`` set) or to the buyer for several tickets."""

    order: object
    position: object | None
    items: list = field(default_factory=list)  # [(AttendeeAccess, fingerprint)]


def recipients(event):
    positions = (
        OrderPosition.objects.filter(order__event=event)
        .select_related("order", "item", "subevent")
        .order_by("order_id", "positionid")
    )
    return accesses(event, positions)


def pending_mailings(event):
    """The mails still to send, and how many tickets already have their current details."""
    keyed = [
        (a, fingerprint(a.meeting, a.window.opens, a.window.closes))
        for a in recipients(event)
        if a.position.attendee_email or a.position.order.email  # else pretix has nobody to write to
    ]
    told = set(
        AccessUpdateNotification.objects.filter(
            position__order__event=event, fingerprint__in={key for _a, key in keyed}
        ).values_list("position_id", "fingerprint")
    )
    mailings, to_buyer = [], {}
    for access, key in keyed:
        if (access.position.pk, key) in told:
            continue
        position = access.position
        if position.attendee_email:
            mailing = Mailing(order=position.order, position=position)
            mailings.append(mailing)
        else:
            mailing = to_buyer.get(position.order_id)
            if mailing is None:
                mailing = to_buyer[position.order_id] = Mailing(order=position.order, position=None)
                mailings.append(mailing)
        mailing.items.append((access, key))
    return mailings, len(keyed) - sum(len(m.items) for m in mailings)


def _send(event, mailing, user):
    order = mailing.order
    with language(order.locale, event.settings.region):
        if mailing.position is not None:
            context = get_email_context(event=event, order=order, position=mailing.position)
        else:
            context = get_email_context(event=event, order=order)
            # Only the tickets this mail is about, not every ticket of the order.
            context["join_details"] = details_for(event, [a for a, _key in mailing.items])
        order.send_mail(
            LazyI18nString(_subject()),
            LazyI18nString(_text()),
            context,
            log_entry_type=ACCESS_UPDATE_MAIL if mailing.position is not None else ACCESS_UPDATE_BUYER_MAIL,
            user=user,
            position=mailing.position,
            attach_ical=event.settings.mail_attach_ical,
        )


def send_access_update(event, user=None, progress=None):
    """Mail everyone whose current access details they have not been told yet.

    Returns ``{"sent": tickets told now, "skipped": tickets that had it already, "mails": mails sent}``;
    ``progress`` (if given) gets the percentage done, increasing up to 100.
    """
    mailings, skipped = pending_mailings(event)
    sent = mails = 0
    for done, mailing in enumerate(mailings, start=1):
        try:
            with transaction.atomic():
                AccessUpdateNotification.objects.bulk_create(
                    [AccessUpdateNotification(position=a.position, fingerprint=key) for a, key in mailing.items]
                )
                _send(event, mailing, user)
            sent += len(mailing.items)
            mails += 1
        except IntegrityError:  # a concurrent run told these tickets meanwhile
            skipped += len(mailing.items)
        if progress and (done % PROGRESS_EVERY == 0 or done == len(mailings)):
            progress(100 * done / len(mailings))
    result = {"sent": sent, "skipped": skipped, "mails": mails}
    event.log_action(ACCESS_UPDATE_SENT, user=user, data=result)
    return result
