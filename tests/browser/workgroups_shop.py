"""Shop steps shared by the work-phase group browser tests: one ticket into the cart, the rest of the checkout."""

import re

SUBMIT = ".checkout-button-row button[type=submit].btn-primary"


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
