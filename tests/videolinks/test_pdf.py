"""The PDF ticket variable "Video conference: personal join link" (text and QR-code content)."""

import io
import json
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled
from pretix.base.models import Event, Order
from pretix.base.pdf import get_variables

from pretix_innowerkstatt.videolinks.domain.config import configure_event
from pretix_innowerkstatt.videolinks.domain.links import join_url
from pretix_innowerkstatt.videolinks.models import VideoConferenceConfig

from .conftest import MEETING_URL, make_order

VARIABLE = "innowerkstatt_join_link"


def evaluate(order):
    with scopes_disabled():
        position = order.positions.get()
        return get_variables(order.event)[VARIABLE]["evaluate"](position, order, order.event), position


@pytest.mark.django_db
def test_pdf_variable_is_the_personal_link_for_eligible_tickets_only(configured_event, item):
    with scopes_disabled():
        assert get_variables(configured_event)[VARIABLE]["label"]
    value, position = evaluate(make_order(configured_event, item))
    with scopes_disabled():
        assert value == join_url(position)
    assert evaluate(make_order(configured_event, item, status=Order.STATUS_PENDING, total=Decimal("5.00")))[0] == ""


@pytest.mark.django_db
def test_pdf_variable_is_empty_without_a_meeting_url_for_the_ticket(configured_event, item, series_dates):
    """Like the mails: no link while no meeting URL applies to the ticket (event, date or product)."""
    date_a, date_b = series_dates
    with scopes_disabled():
        configure_event(configured_event, url="")
    on_a = make_order(configured_event, item, subevent=date_a)
    on_b = make_order(configured_event, item, subevent=date_b)
    assert evaluate(on_a)[0] == evaluate(on_b)[0] == ""
    with scopes_disabled():
        VideoConferenceConfig.objects.create(event=configured_event, subevent=date_b, join_url=MEETING_URL)
    value, position = evaluate(on_b)
    with scopes_disabled():
        assert value == join_url(position)
    assert evaluate(on_a)[0] == ""


def ticket_layout(*elements):
    """pretix's default ticket layout with its QR code and first text box showing ``elements``."""
    from pretix.plugins.ticketoutputpdf.models import DEFAULT_TICKET_LAYOUT

    layout = json.loads(DEFAULT_TICKET_LAYOUT)
    qr = next(o for o in layout if o["type"] == "barcodearea")
    text = next(o for o in layout if o["type"] == "textcontainer")
    qr["content"] = VARIABLE if "qr" in elements else "secret"
    text.update(content=VARIABLE if "text" in elements else "event_name", fontsize="8.0", height="20.00")
    return layout


def render_ticket(event, order, *elements):
    """The ticket as pretix's PDF output renders it, with a layout saved like the layout editor does."""
    import pypdf
    from pretix.plugins.ticketoutputpdf.ticketoutput import PdfTicketOutput

    with scopes_disabled():
        event = Event.objects.get(pk=event.pk)  # pretix caches the layout on the event object
        event.enable_plugin("pretix.plugins.ticketoutputpdf")
        event.save()
        event.ticket_layouts.update_or_create(
            default=True, defaults={"name": "Ticket", "layout": json.dumps(ticket_layout(*elements))}
        )
        _name, mimetype, data = PdfTicketOutput(event).generate(order.positions.get())
    assert mimetype == "application/pdf"
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def squeezed(text):
    return "".join(text.split())  # long URLs wrap inside the text box


@pytest.mark.django_db
def test_rendered_pdf_ticket_shows_the_link_as_text(configured_event, item):
    order = make_order(configured_event, item)
    with scopes_disabled():
        link = join_url(order.positions.get())
    text = render_ticket(configured_event, order, "text")
    assert link in squeezed(text)
    assert MEETING_URL not in squeezed(text)


@pytest.mark.django_db
def test_rendered_pdf_ticket_has_the_link_as_qr_code_content(configured_event, item):
    order = make_order(configured_event, item)
    with scopes_disabled():
        link = join_url(order.positions.get())
    # pretix writes each QR code's content next to it as invisible text for machine readers.
    assert f'"{VARIABLE}": "{link}"' in render_ticket(configured_event, order, "qr")

    with scopes_disabled():
        configure_event(configured_event, url="")
    assert link not in squeezed(render_ticket(configured_event, order, "qr", "text"))
