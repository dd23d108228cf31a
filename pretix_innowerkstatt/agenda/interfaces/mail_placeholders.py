"""``{agenda}`` and ``{speakers}`` in pretix's mail texts, and the agenda on PDF tickets.

pretix offers a placeholder only where the mail's context has everything it ``required_context``
names, and a later registration of the same name wins. So there is one placeholder per shape of
context pretix uses, from the most general (``event``: the event's agenda) to the most specific
(``position``: the agenda of that ticket's date):

- ``event`` + ``order``: order placed/paid/free mails – one agenda per date the order holds;
- ``event`` + ``position``: attendee mails, and sendmail's attendee rules – that ticket's date;
- ``event`` + ``event_or_subevent``: sendmail's scheduled rules for a date, and the calendar
  description setting – that date (with ``order``: the order's dates when the rule is for all);
- ``event`` + ``waiting_list_entry``: the waiting-list mail – the date waited for.

``get_email_context`` renders every placeholder that fits a mail, used or not, so the agenda
is only looked up once a text really contains ``{agenda}`` or ``{speakers}``.
"""

import logging

from django.utils.functional import cached_property
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django_scopes import scope
from pretix.base.models import SubEvent
from pretix.base.services.placeholders import BaseRichTextPlaceholder
from pretix.helpers.format import PlainHtmlAlternativeString

from .. import caching
from ..domain.formatting import agenda_text, outline_rows, speaker_lines, speakers_text
from ..domain.selection import agenda_outline

logger = logging.getLogger(__name__)


class LazyAlternative(PlainHtmlAlternativeString):
    """A ``PlainHtmlAlternativeString`` whose two forms are only computed when a mail text uses them."""

    def __init__(self, compute, is_block=True):  # no super().__init__(): it would need both forms now
        self._compute = compute
        self.is_block = is_block

    @cached_property
    def _pair(self):
        try:
            return self._compute()
        except Exception:  # as pretix does for placeholders: a broken one must not stop the mail
            logger.exception("Failed to render an agenda placeholder.")
            return "", ""

    @property
    def plain(self):
        return self._pair[0]

    @property
    def html(self):
        return self._pair[1]

    def __str__(self):
        return self.plain


# --- which dates a mail is about ------------------------------------------------------------------


def order_dates(order):
    """The order's dates in time order; ``[None]`` for an event without dates."""
    if not order.event.has_subevents:
        return [None]
    dates = {p.subevent_id: p.subevent for p in order.positions.select_related("subevent") if p.subevent_id}
    return sorted(dates.values(), key=lambda se: se.date_from) or [None]


def _subevent_or_none(event_or_subevent):
    return event_or_subevent if isinstance(event_or_subevent, SubEvent) else None


DATES_BY_CONTEXT = (
    (("event",), lambda **c: [None]),
    (("event", "event_or_subevent"), lambda event_or_subevent, **c: [_subevent_or_none(event_or_subevent)]),
    (("event", "waiting_list_entry"), lambda waiting_list_entry, **c: [waiting_list_entry.subevent]),
    (("event", "order"), lambda order, **c: order_dates(order)),
    (
        ("event", "order", "event_or_subevent"),
        lambda order, event_or_subevent, **c: (
            [event_or_subevent] if isinstance(event_or_subevent, SubEvent) else order_dates(order)
        ),
    ),
    (("event", "position"), lambda position, **c: [position.subevent]),
)


def agendas(event, dates) -> list:
    """``[(date or None, outline)]`` for the dates that have an agenda."""
    result = []
    for subevent in dates:
        outline = agenda_outline(event, subevent)
        if outline:
            result.append((subevent, outline))
    return result


# --- the two forms of each placeholder ------------------------------------------------------------


def _date_heading(subevent):
    return f"{subevent.name} – {subevent.get_date_range_display()}"


def agenda_plain(event, blocks) -> str:
    tz = event.timezone
    if len(blocks) == 1:
        return agenda_text(blocks[0][1], tz)
    return "\n\n".join(f"{_date_heading(se)}:\n{agenda_text(items, tz)}" for se, items in blocks)


def _agenda_list_html(outline, tz):
    # Plain markup on purpose: pretix inlines CSS into and re-parses every element of a mail.
    # escape() on each text instead of a format_html() per line: the same output, a third of the time.
    rows = "".join(
        f"<li><strong>{escape(time)}</strong> {escape(title)}{f' ({escape(names)})' if names else ''}</li>"
        for time, title, names in outline_rows(outline, tz)
    )
    return mark_safe(f'<ul class="innowerkstatt-agenda">{rows}</ul>')


def agenda_html(event, blocks) -> str:
    tz = event.timezone
    if len(blocks) == 1:
        return _agenda_list_html(blocks[0][1], tz)
    return mark_safe(
        "".join(
            format_html("<p><strong>{}</strong></p>{}", _date_heading(se), _agenda_list_html(items, tz))
            for se, items in blocks
        )
    )


def _all_items(blocks):
    return [item for _se, outline in blocks for item in outline]


def speakers_plain(event, blocks) -> str:
    return speakers_text(_all_items(blocks))


def speakers_html(event, blocks) -> str:
    lines = speaker_lines(_all_items(blocks))
    if not lines:
        return ""
    return format_html(
        '<ul class="innowerkstatt-speakers">{}</ul>',
        format_html_join(
            "",
            "<li><strong>{}</strong>{}</li>",
            ((name, format_html(" – {}", role) if role else "") for name, role in lines),
        ),
    )


# --- placeholders ---------------------------------------------------------------------------------


class AgendaPlaceholder(BaseRichTextPlaceholder):
    def __init__(self, identifier, args, dates, plain, html, sample):
        super().__init__(identifier, list(args))
        self._dates, self._plain, self._html, self._sample = dates, plain, html, sample

    @property
    def is_block(self):
        return True

    def render(self, context):
        kwargs = {k: context[k] for k in self._args}
        event = kwargs["event"]
        # {agenda} and {speakers} of one mail share one lookup, kept with the mail's context.
        shared = context.setdefault(f"_innowerkstatt_agenda_{'+'.join(self._args)}", {})

        def compute():
            if "dates" not in shared:
                dates = self._dates(**kwargs)
                versions = tuple((caching.context_key(event, se), caching.agenda_version(event, se)) for se in dates)
                shared["dates"], shared["versions"] = dates, versions
            dates = shared["dates"]

            def both():
                if "blocks" not in shared:
                    shared["blocks"] = agendas(event, dates)
                return self._plain(event, shared["blocks"]), self._html(event, shared["blocks"])

            # An unchanged agenda renders the same for every attendee of the date.
            return caching.remembered(("mail", self.identifier, shared["versions"]), both)

        def in_scope():
            # The text is computed when the mail is rendered, which need not be inside a request's scope.
            with scope(organizer=event.organizer):
                return compute()

        return LazyAlternative(in_scope)

    def render_sample(self, event):
        with scope(organizer=event.organizer):
            blocks = agendas(event, [None])
        if blocks:
            return PlainHtmlAlternativeString(self._plain(event, blocks), self._html(event, blocks), True)
        plain = self._sample()
        lines = format_html_join("", "<li>{}</li>", ((line,) for line in plain.splitlines()))
        html = format_html('<ul class="innowerkstatt-agenda">{}</ul>', lines)
        return PlainHtmlAlternativeString(plain, html, True)


def _agenda_sample():
    return "\n".join(
        [
            "18:00 " + _("Welcome"),
            "18:10 Wir vs. Virus Hackathon – ein Best Practice (Adriana Groh)",
            "19:10 " + _("Work phase"),
            "20:00 " + _("End"),
        ]
    )


def _speakers_sample():
    return "Adriana Groh – Co-Organisatorin Wir vs. Virus Hackathon, Project Lead Prototype Fund"


def placeholders(sender, **kwargs):
    result = []
    for args, dates in DATES_BY_CONTEXT:
        result.append(AgendaPlaceholder("agenda", args, dates, agenda_plain, agenda_html, _agenda_sample))
        result.append(AgendaPlaceholder("speakers", args, dates, speakers_plain, speakers_html, _speakers_sample))
    return result
