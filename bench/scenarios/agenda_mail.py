"""The paid confirmation mail with ``{agenda}`` and ``{speakers}`` in its text versus without.

What is measured: unless a scenario says otherwise, every mail is rendered as the first mail
after a change of the agenda is: the plugin's remembered renderings are forgotten before each
one, so the agenda is read from the database and formatted again. Later mails of an unchanged
agenda reuse that rendering (one version query instead); a separate scenario shows those.
"""

from django.core import mail as djmail
from django.db import transaction
from django_scopes import scope, scopes_disabled
from i18nfield.strings import LazyI18nString

from bench.harness import Scenario
from bench.scenarios.agenda_front_page import add_agenda
from bench.setup import make_event

TEXT = "Hallo {name},\n\nwir haben Ihre Zahlung für {event} erhalten.\n\n{url}\n\nViele Grüße"
TEXT_WITH_AGENDA = TEXT.replace("\n\n{url}", "\n\n{agenda}\n\n{url}")
TEXT_WITH_AGENDA_AND_SPEAKERS = TEXT.replace(
    "\n\n{url}", "\n\nDer Ablauf:\n\n{agenda}\n\nMit dabei:\n\n{speakers}\n\n{url}"
)
# For reference: the same agenda pasted into the mail text by hand, as organisers do today.
PASTED = "\n".join(f"* 18:{n:02d} Programmpunkt {n} (Person {n % 10})" for n in range(30))
PASTED_PEOPLE = "\n".join(f"* Person {n} – Rolle {n}" for n in range(10))
TEXT_WITH_PASTED_AGENDA = TEXT.replace(
    "\n\n{url}", f"\n\nDer Ablauf:\n\n{PASTED}\n\nMit dabei:\n\n{PASTED_PEOPLE}\n\n{{url}}"
)


_shared = {}


def setup():
    """One event with a 30-item agenda and a paid order, shared by both scenarios."""
    if _shared:
        return _shared
    from pretix.base.models import Order, OrderPosition

    with scopes_disabled(), transaction.atomic():
        event = make_event("bench-agenda-mail", organizer_slug="bench-mail")
        add_agenda(event)
        item = event.items.first()
        order = Order.objects.create(
            event=event,
            email="anna@example.org",
            status=Order.STATUS_PAID,
            total=0,
            locale="de",
            sales_channel=event.organizer.sales_channels.get(identifier="web"),
        )
        OrderPosition.objects.create(order=order, item=item, price=0, attendee_name_parts={"full_name": "Anna"})
        order.create_transactions()
    _shared.update(event=event, order=order)
    return _shared


def _send(ctx, text, *, fresh=False, with_tickets=False):
    """One paid confirmation mail; ``fresh``: as the first mail after a change of the agenda.

    ``with_tickets``: sent as pretix sends its paid mail, with the tickets: the agenda block
    goes in (if switched on) as into every mail that carries tickets.
    """
    from pretix.base.email import get_email_context

    from pretix_innowerkstatt.agenda import caching

    if fresh:
        caching.forget_all()  # nothing rendered from the agenda is reused (costs nothing itself)
    event, order = ctx["event"], ctx["order"]
    with scope(organizer=event.organizer):
        context = get_email_context(event=event, order=order, payment_info="")
        order.send_mail(
            LazyI18nString({"de": "Zahlung erhalten"}),
            LazyI18nString({"de": text}),
            context,
            "pretix.event.order.email.order_paid",
            attach_tickets=with_tickets,
        )
    shown = "Programmpunkt 29" in djmail.outbox[-1].body
    assert shown or (text == TEXT and not (with_tickets and event.settings.innowerkstatt_agenda_mail_block))
    djmail.outbox.clear()


def _send_with_block(ctx, switched_on):
    event = ctx["event"]
    event.settings.innowerkstatt_agenda_mail_block = switched_on
    try:
        _send(ctx, TEXT, with_tickets=True)
    finally:
        event.settings.innowerkstatt_agenda_mail_block = False  # the other scenarios' mails carry no tickets


def _mail_scenario(name, baseline_text, candidate_text, *, fresh=False, goal=None, note=""):
    """Two paid confirmation mails of the same order, differing only in their text."""
    return Scenario(
        name=name,
        setup=setup,
        baseline=lambda ctx: _send(ctx, baseline_text),
        candidate=lambda ctx: _send(ctx, candidate_text, fresh=fresh),
        goal=goal,
        note=note,
    )


SCENARIOS = [
    _mail_scenario(
        "paid confirmation mail, with {agenda} vs without",
        TEXT,
        TEXT_WITH_AGENDA,
        fresh=True,
        note="first mail after a change: nothing reused; pretix alone needs as much for the same lines pasted",
    ),
    _mail_scenario(
        "paid confirmation mail, with {agenda} and {speakers} vs without",
        TEXT,
        TEXT_WITH_AGENDA_AND_SPEAKERS,
        fresh=True,
        note="first mail after a change: nothing reused",
    ),
    _mail_scenario(
        "paid confirmation mail, with {agenda} vs without, agenda unchanged since the last mail",
        TEXT,
        TEXT_WITH_AGENDA,
        goal=1.10,
        note="the typical confirmation: the rendering is reused, one version query",
    ),
    Scenario(
        name="paid confirmation mail with tickets, agenda block on vs switched off, agenda unchanged",
        setup=setup,
        baseline=lambda ctx: _send_with_block(ctx, False),
        candidate=lambda ctx: _send_with_block(ctx, True),
        goal=1.10,
        note="the agenda in the confirmation by default: the rendering is reused, one version query",
    ),
    _mail_scenario(
        "paid confirmation mail, agenda pasted as text vs without (reference)",
        TEXT,
        TEXT_WITH_PASTED_AGENDA,
        note="what the same content costs pretix without the plugin",
    ),
    _mail_scenario(
        "paid confirmation mail, with {agenda} and {speakers} vs the same pasted as text",
        TEXT_WITH_PASTED_AGENDA,
        TEXT_WITH_AGENDA_AND_SPEAKERS,
        fresh=True,
        note="the plugin's own share: looking the agenda up and formatting it, first mail after a change",
    ),
]
