"""``{join_link}``, ``{join_button}`` and ``{join_details}`` for pretix's email texts.

In an attendee mail (context with ``position``) they stand for that attendee's own link; in
an order mail for one link per attendee of the order, labelled with the attendee's name.
They are empty for tickets without access (pending, unapproved, cancelled, other products).
Scheduled mails of the sendmail plugin pass the same context, so reminders work the same;
each position's own date is used in event series.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from pretix.base.services.placeholders import (
    BaseRichTextPlaceholder,
    SimpleButtonPlaceholder,
    SimpleFunctionalTextPlaceholder,
)
from pretix.helpers.format import PlainHtmlAlternativeString

from ..domain.attendees import for_order
from .mail import block_html, block_plain, join_links_plain

SAMPLE_URL = "https://tickets.example.org/innovationsbuero/innowerkstatt/innowerkstatt/join/ABC12/1/…/"
BUTTON_TEXT = _("Join video conference")
LINK_TEXT = _("Your personal join link: {url}")


def _order_accesses(event, order, position=None):
    return for_order(event, order, position)


class JoinButton(SimpleButtonPlaceholder):
    """pretix's button, but nothing at all for a ticket without access."""

    def __init__(self, identifier, args, url_func, *funcs):
        super().__init__(identifier, args, url_func, *funcs)
        self.link_of = url_func  # our own reference: pretix keeps its copy in a private attribute

    def render_html(self, **context):
        return super().render_html(**context) if self.link_of(**context) else ""

    def render_plain(self, **context):
        return super().render_plain(**context) if self.link_of(**context) else ""


class JoinButtons(BaseRichTextPlaceholder):
    """One button per attendee of an order, labelled with the attendee's name."""

    def __init__(self):
        super().__init__("join_button", ["event", "order"])

    def render_html(self, event, order):
        return mark_safe(
            "".join(
                f'<p><a href="{escape(a.link)}" class="button">{escape(BUTTON_TEXT)} – {escape(a.label)}</a></p>'
                for a in _order_accesses(event, order)
            )
        )

    def render_plain(self, event, order):
        return "\n".join(f"{BUTTON_TEXT} – {a.label}: {a.link}" for a in _order_accesses(event, order))

    def render_sample_html(self, event):
        return mark_safe(f'<a href="{SAMPLE_URL}" class="button">{escape(BUTTON_TEXT)} – Ada Lovelace</a>')

    def render_sample_plain(self, event):
        return f"{BUTTON_TEXT} – Ada Lovelace: {SAMPLE_URL}"


class JoinDetails(BaseRichTextPlaceholder):
    """The whole block: date and time, link and button, instructions, dial-in."""

    def __init__(self, args):
        super().__init__("join_details", args)

    @property
    def is_block(self):
        return True

    def _accesses(self, event, order, position=None):
        return _order_accesses(event, order, position)

    def render_html(self, event, order, position=None):
        return details_html(event, self._accesses(event, order, position))

    def render_plain(self, event, order, position=None):
        return details_plain(event, self._accesses(event, order, position))

    def render_sample_html(self, event):
        return mark_safe(
            f'<p><a href="{SAMPLE_URL}" class="button">{escape(BUTTON_TEXT)}</a></p>'
            f"<p>{escape(str(LINK_TEXT).format(url=SAMPLE_URL))}</p>"
        )

    def render_sample_plain(self, event):
        return str(LINK_TEXT).format(url=SAMPLE_URL)


def details_html(event, accesses):
    return mark_safe("".join(block_html(a, event, with_heading=len(accesses) > 1) for a in accesses))


def details_plain(event, accesses):
    return "\n\n".join(block_plain(a, event, with_heading=len(accesses) > 1) for a in accesses)


def details_for(event, accesses) -> PlainHtmlAlternativeString:
    """``{join_details}`` for exactly these attendees, as a mail context value."""
    return PlainHtmlAlternativeString(details_plain(event, accesses), details_html(event, accesses), True)


def _position_link(event, order, position):
    accesses = _order_accesses(event, order, position)
    return accesses[0].link if accesses else ""


def placeholders(event):
    return [
        # Order mails first; where a position is in the context, the later attendee variants win.
        SimpleFunctionalTextPlaceholder(
            "join_link",
            ["event", "order"],
            lambda event, order: join_links_plain(_order_accesses(event, order)),
            SAMPLE_URL,
        ),
        JoinButtons(),
        JoinDetails(["event", "order"]),
        SimpleFunctionalTextPlaceholder("join_link", ["event", "order", "position"], _position_link, SAMPLE_URL),
        JoinButton(
            "join_button",
            ["event", "order", "position"],
            _position_link,
            lambda event, order, position: BUTTON_TEXT,
            lambda event: SAMPLE_URL,
            lambda event: BUTTON_TEXT,
        ),
        JoinDetails(["event", "order", "position"]),
    ]
