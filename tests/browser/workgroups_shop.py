"""Shared by the work-phase group browser tests: an event in its work phase, the shop's checkout steps."""

import datetime
import re

from django.utils.timezone import now
from django_scopes import scopes_disabled

from pretix_innowerkstatt.videolinks.domain.config import configure_event
from tests.videolinks.conftest import MEETING_URL
from tests.workgroups.work_phase import add_groups, add_work_phase

SUBMIT = ".checkout-button-row button[type=submit].btn-primary"


def work_phase_running(event):
    """The event started 75 minutes ago, so its work phase (from 70 minutes after the start) runs now; its groups.

    The server's clock is the real one (a frozen clock would stop the browser's event loop too):
    the event is placed around it. Its shop is open, its join links lead to ``MEETING_URL``.
    """
    with scopes_disabled():
        event.date_from = now() - datetime.timedelta(minutes=75)
        event.date_to = event.date_from + datetime.timedelta(hours=2)
        event.presale_start = None
        event.save()
        configure_event(event, url=MEETING_URL, opens_minutes_before=30)
    return add_groups(add_work_phase(event))


def start_checkout_at_the_group_step(page, live_server):
    """Put one ticket of the Innowerkstatt into the cart and open the checkout at its group step."""
    page.goto(f"{live_server.url}/innovationsbuero/innowerkstatt/")
    page.locator("input[type=number][name^=item_], input[type=checkbox][name^=item_]").first.evaluate(
        "e => e.type === 'checkbox' ? (e.checked = true) : (e.value = '1')"
    )
    page.click("#btn-add-to-cart")
    page.wait_for_url(re.compile(r".*require_cookie=true.*"))
    page.goto(f"{live_server.url}/innovationsbuero/innowerkstatt/checkout/start")
    page.wait_for_url(re.compile(r".*/checkout/innowerkstatt-work-groups/.*"))


def finish_checkout(page, email, name):
    """Answer the questions with ``email`` and ``name``, confirm, and wait for the order page."""
    page.wait_for_url(re.compile(r".*/checkout/questions/.*"))
    page.fill("input[name=email]", email)
    if page.locator("input[name=email_repeat]").count():
        page.fill("input[name=email_repeat]", email)
    attendee_name = page.locator("input[name$=attendee_name_parts_0]")
    if attendee_name.count():
        attendee_name.first.fill(name)
    page.click(SUBMIT)
    page.wait_for_url(re.compile(r".*/checkout/confirm/.*"))
    page.click(SUBMIT)
    page.wait_for_url(re.compile(r".*/order/[A-Z0-9]+/[a-z0-9]+/.*"))
