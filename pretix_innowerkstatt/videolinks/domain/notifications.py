"""The "Updated access information" mailing: each attendee once per state of their access details.

A row (position, fingerprint of the details) is written in the same transaction as the mail is
queued; the unique constraint turns a second run - even a concurrent one - into a no-op for
everyone who already got this version. Mails go through pretix's ``order.send_mail`` and are
logged on the order like pretix's own.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from i18nfield.strings import LazyI18nString
from pretix.base.email import get_email_context
from pretix.base.i18n import language
from pretix.base.models import OrderPosition

from ..logtypes import ACCESS_UPDATE_MAIL, ACCESS_UPDATE_SENT
from ..models import AccessUpdateNotification
from .attendees import accesses
from .config import fingerprint


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


def recipients(event):
    positions = (
        OrderPosition.objects.filter(order__event=event)
        .select_related("order", "item", "subevent")
        .order_by("order_id", "positionid")
    )
    return accesses(event, positions)


def send_access_update(event, user=None, progress=None):
    """Mail everyone whose current access details they have not been told yet. Returns counts."""
    targets = recipients(event)
    sent = skipped = 0
    for index, access in enumerate(targets):
        position, order = access.position, access.position.order
        key = fingerprint(access.meeting, access.window.opens, access.window.closes)
        try:
            with transaction.atomic():
                AccessUpdateNotification.objects.create(position=position, fingerprint=key)
                with language(order.locale, event.settings.region):
                    order.send_mail(
                        LazyI18nString(_subject()),
                        LazyI18nString(_text()),
                        get_email_context(event=event, order=order, position=position),
                        log_entry_type=ACCESS_UPDATE_MAIL,
                        user=user,
                        position=position,
                        attach_ical=event.settings.mail_attach_ical,
                    )
            sent += 1
        except IntegrityError:
            skipped += 1
        if progress and index % 20 == 0:
            progress(100 * (index + 1) / len(targets))
    event.log_action(ACCESS_UPDATE_SENT, user=user, data={"sent": sent, "skipped": skipped})
    return {"sent": sent, "skipped": skipped}
