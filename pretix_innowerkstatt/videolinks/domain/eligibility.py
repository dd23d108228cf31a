"""Who may join, and when: pure checks on an already loaded position (no queries).

``position`` must come with ``order``, ``item`` and ``subevent`` loaded, and ``order.event``
set; the checks then run in memory, which keeps the join POST at one lookup.
"""

import datetime
from dataclasses import dataclass

from pretix.base.models import Order

# Why a position may not join (``None``: it may). Shown to the attendee by the views.
CANCELED = "canceled"
EXPIRED = "expired"
PENDING = "pending"
UNAPPROVED = "unapproved"
BLOCKED = "blocked"
TEST_MODE = "test_mode"
DATE_INACTIVE = "date_inactive"
PRODUCT = "product"
NOT_CONFIGURED = "not_configured"
TOO_EARLY = "too_early"
TOO_LATE = "too_late"


def access_refusal(position, rules):
    """Why this position gets no join link at all (``None`` if it gets one); ignores time."""
    order = position.order
    if position.canceled or order.status == Order.STATUS_CANCELED:
        return CANCELED
    if order.status == Order.STATUS_EXPIRED:
        return EXPIRED
    if order.status == Order.STATUS_PENDING:
        if order.require_approval:
            return UNAPPROVED
        if not (rules.allow_pending or order.valid_if_pending):
            return PENDING
    elif order.status != Order.STATUS_PAID:
        return CANCELED
    if order.testmode and not order.event.testmode:
        # An order placed to try the shop out is no ticket once the shop sells for real.
        return TEST_MODE
    if position.blocked:
        return BLOCKED
    if position.subevent_id and not position.subevent.active:
        return DATE_INACTIVE
    if rules.product_ids:
        if position.item_id not in rules.product_ids:
            return PRODUCT
    elif not position.item.admission:
        return PRODUCT
    return None


def gets_link(position, rules) -> bool:
    return access_refusal(position, rules) is None


@dataclass(frozen=True)
class Window:
    starts: datetime.datetime
    ends: datetime.datetime | None
    opens: datetime.datetime
    closes: datetime.datetime | None

    def state(self, at):
        if at < self.opens:
            return TOO_EARLY
        if self.closes is not None and at > self.closes:
            return TOO_LATE
        return None


def window(position, rules, event=None) -> Window:
    """The join window of the position's own date (its subevent in a series)."""
    dated = position.subevent or event or position.order.event
    starts, ends = dated.date_from, dated.date_to
    closes = None
    if rules.closes_minutes_after is not None:
        closes = (ends or starts) + datetime.timedelta(minutes=rules.closes_minutes_after)
    return Window(
        starts=starts,
        ends=ends,
        opens=starts - datetime.timedelta(minutes=rules.opens_minutes_before),
        closes=closes,
    )


def join_refusal(position, rules, meeting, at, event=None):
    """Why a join POST at ``at`` must not redirect (``None``: redirect)."""
    reason = access_refusal(position, rules)
    if reason:
        return reason
    if not meeting.configured:
        return NOT_CONFIGURED
    return window(position, rules, event).state(at)
