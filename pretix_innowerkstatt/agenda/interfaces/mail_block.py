"""The agenda as a short block in the mails that carry tickets, without editing any mail text.

The same rule as the join block (``videolinks.interfaces.mail``), with the same insertion
(``core.mail_blocks``), from an ``email_filter`` receiver:

* only mails pretix sends with the tickets (``should_attach_tickets``): order placed, paid,
  free, approved, changed, resent link and download reminders, and their attendee copies;
  other mails (payment reminders, expiry, cancellation) get none, an organiser's own mail
  (sendmail plugin) only when it is sent with the tickets attached;
* an attendee's copy carries the agenda of that ticket's date, an order mail that of each date
  the order holds (as ``{agenda}`` does);
* switchable per event (``settings.MAIL_BLOCK``, on by default);
* not when the text already shows the agenda (the organiser placed ``{agenda}`` in it).

pretix runs the receivers sorted by module name, so the agenda block comes first and the join
block (if any) after it: what happens, then how to join, then the signature.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from pretix.base.i18n import language

from ...core.mail_blocks import add_block, plain_contains
from .. import caching
from ..settings import MAIL_BLOCK
from .mail_placeholders import agenda_html, agenda_plain, agendas, order_dates


def _dates(order, position):
    if position is not None:
        return [position.subevent]
    return order_dates(order)


def block_texts(event, dates) -> tuple[str, str, str]:
    """``(agenda text, plain block, HTML block)`` of ``dates``' agendas; empty strings without agenda."""
    blocks = agendas(event, dates)
    if not blocks:
        return "", "", ""
    heading = _("Agenda")
    text = agenda_plain(event, blocks)
    html = mark_safe(
        f'<div class="innowerkstatt-agenda-block"><h3>{escape(heading)}</h3>{agenda_html(event, blocks)}</div>'
    )
    return text, f"{heading}:\n{text}", html


def filter_message(message, event, order, outgoing_mail):
    """The email_filter: the agenda block into ticket mails."""
    if order is None or outgoing_mail is None or not outgoing_mail.should_attach_tickets:
        return message
    if not event.settings.get(MAIL_BLOCK, as_type=bool):
        return message
    with language(order.locale, event.settings.region):
        dates = _dates(order, outgoing_mail.orderposition)
        versions = tuple((caching.context_key(event, se), caching.agenda_version(event, se)) for se in dates)
        # An unchanged agenda gives the same block for every attendee of the date.
        text, plain, html = caching.remembered(("mailblock", versions), lambda: block_texts(event, dates))
        if not text or plain_contains(message.body, text):
            return message
        add_block(message, plain, html)
    return message
