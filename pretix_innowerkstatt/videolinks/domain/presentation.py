"""What an attendee is told about a position's join link (join page, order page, mails)."""

import math
import zoneinfo
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ...agenda import caching
from ...agenda.presentation import agenda_context
from ...core.dates import date_and_time, time_of_day  # NOQA: F401  (date_and_time: also imported from here)
from . import eligibility as e

REFUSAL_MESSAGES = {
    e.CANCELED: _("This ticket has been cancelled, so it no longer gives access to the video conference."),
    e.EXPIRED: _("This order has expired without payment, so it does not give access to the video conference."),
    e.PENDING: _(
        "This order has not been paid yet. You will be able to join the video conference once the payment "
        "has been received."
    ),
    e.UNAPPROVED: _(
        "This order still has to be approved by the organiser. You will be able to join the video conference "
        "once it has been approved."
    ),
    e.BLOCKED: _("This ticket is currently blocked. Please contact the organiser."),
    e.TEST_MODE: _(
        "This order was placed while the shop was in test mode, so it does not give access to the video conference."
    ),
    e.DATE_INACTIVE: _(
        "The organiser has deactivated this date, so its video conference cannot be joined. Please contact the "
        "organiser."
    ),
    e.PRODUCT: _("This product does not include access to the video conference."),
    e.NOT_CONFIGURED: _("The organiser has not published the access details yet. Please check again later."),
    e.TOO_EARLY: _("The video conference is not open yet."),
    e.TOO_LATE: _("This video conference has ended."),
}


def local(dt, event):
    return dt.astimezone(zoneinfo.ZoneInfo(event.settings.timezone))


def format_moment(dt, event) -> str:
    """E.g. "27. Mai 2026, 17:30 (Europe/Berlin, CEST)": always with the timezone named."""
    dt = local(dt, event)
    return f"{date_and_time(dt)} ({event.settings.timezone}, {dt.tzname()})"


def format_span(window, event) -> str:
    starts = local(window.starts, event)
    text = date_and_time(starts)
    if window.ends:
        ends = local(window.ends, event)
        if ends.date() == starts.date():
            text += "–" + time_of_day(ends)
        else:
            text += " – " + date_and_time(ends)
    return f"{text} ({event.settings.timezone}, {starts.tzname()})"


def countdown_text(seconds_left) -> str:
    """ "in 90 days", "in 5 hours", "in 12 minutes", "in 30 seconds": whole units, rounded down.

    The join page's script (join.js) counts on with ``Intl.RelativeTimeFormat`` by the same rule.
    """
    left = max(0, int(seconds_left))
    if left >= 86400:
        n = left // 86400
        return ngettext("in %(count)d day", "in %(count)d days", n) % {"count": n}
    if left >= 3600:
        n = left // 3600
        return ngettext("in %(count)d hour", "in %(count)d hours", n) % {"count": n}
    if left >= 60:
        n = left // 60
        return ngettext("in %(count)d minute", "in %(count)d minutes", n) % {"count": n}
    return ngettext("in %(count)d second", "in %(count)d seconds", left) % {"count": left}


@dataclass
class JoinState:
    """One position's join situation at one moment."""

    refusal: str | None  # None: the button works now
    window: e.Window
    event: object
    now: object

    @property
    def can_join(self):
        return self.refusal is None

    @property
    def waiting(self):
        return self.refusal == e.TOO_EARLY

    @property
    def has_access(self):
        """The ticket itself qualifies (the window may still be closed)."""
        return self.refusal in (None, e.TOO_EARLY, e.TOO_LATE, e.NOT_CONFIGURED)

    @property
    def message(self):
        return REFUSAL_MESSAGES.get(self.refusal, "")

    @property
    def opens_display(self):
        return format_moment(self.window.opens, self.event)

    @property
    def closes_display(self):
        return format_moment(self.window.closes, self.event) if self.window.closes else ""

    @property
    def when_display(self):
        return format_span(self.window, self.event)

    @property
    def countdown_display(self):
        return countdown_text(math.ceil((self.window.opens - self.now).total_seconds())) if self.waiting else ""


def join_state(position, rules, meeting, at, event) -> JoinState:
    return JoinState(
        refusal=e.join_refusal(position, rules, meeting, at, event),
        window=e.window(position, rules, event),
        event=event,
        now=at,
    )


@dataclass
class AgendaEntry:
    """One row of the event page's agenda (``agenda.presentation.AgendaRow``) as the join page lists it."""

    row: object
    until: object  # its end, or the next item's start; None for a last item without end (a moment)
    current: bool  # running at the page's moment: marked "Now"


def join_agenda(event, subevent, at) -> list[AgendaEntry]:
    """The agenda of the position's date for the join page, the item running at ``at`` marked.

    The rows are the event page's (same selection and order), reused while the agenda is unchanged.
    """
    key = ("join", caching.context_key(event, subevent), caching.agenda_version(event, subevent))
    context = caching.remembered(key, lambda: agenda_context(event, subevent))
    if context is None:
        return []
    rows = context["rows"]
    entries = []
    for index, row in enumerate(rows):
        until = row.end or (rows[index + 1].start if index + 1 < len(rows) else None)
        entries.append(AgendaEntry(row=row, until=until, current=until is not None and row.start <= at < until))
    return entries
