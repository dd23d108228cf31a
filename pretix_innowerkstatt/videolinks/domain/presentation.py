"""What an attendee is told about a position's join link (join page, order page, mails)."""

import zoneinfo
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

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
    """E.g. "27.05.2026 17:30 (Europe/Berlin, CEST)": always with the timezone named."""
    dt = local(dt, event)
    return f"{date_format(dt, 'SHORT_DATETIME_FORMAT')} ({event.settings.timezone}, {dt.tzname()})"


def format_span(window, event) -> str:
    starts = local(window.starts, event)
    text = date_format(starts, "SHORT_DATETIME_FORMAT")
    if window.ends:
        ends = local(window.ends, event)
        if ends.date() == starts.date():
            text += "–" + date_format(ends, "TIME_FORMAT")
        else:
            text += " – " + date_format(ends, "SHORT_DATETIME_FORMAT")
    return f"{text} ({event.settings.timezone}, {starts.tzname()})"


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


def join_state(position, rules, meeting, at, event) -> JoinState:
    return JoinState(
        refusal=e.join_refusal(position, rules, meeting, at, event),
        window=e.window(position, rules, event),
        event=event,
        now=at,
    )
