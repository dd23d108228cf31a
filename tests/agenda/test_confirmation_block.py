"""The agenda as a short block in the mails that carry tickets, switchable per event."""

import pytest
from bs4 import BeautifulSoup
from django.core import mail as djmail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled
from i18nfield.strings import LazyI18nString
from pretix.base.models import LogEntry
from pretix.base.services.orders import cancel_order

from pretix_innowerkstatt.agenda import logtypes
from pretix_innowerkstatt.videolinks.domain.config import configure_event

from .orders import html_part, place_order

URL = "/control/event/innovationsbuero/innowerkstatt/innowerkstatt/agenda/"
AGENDA_LINES = "18:00 Begrüßung\n18:10 Wir vs. Virus Hackathon – ein Best Practice (Adriana Groh)\n"


def _plain(message):
    return message.body.replace("\r\n", "\n")


def _paid_order(event, item, **kwargs):
    """A manual-payment order, confirmed: pretix sends the "order paid" mail with the tickets."""
    item.default_price = 10
    item.save()
    order = place_order(event, item, **kwargs)
    with scope(organizer=event.organizer):
        payment = order.payments.create(provider="manual", amount=order.total)
        djmail.outbox = []
        payment.confirm()
    return order


@pytest.mark.django_db
def test_paid_confirmation_carries_the_agenda_below_the_text_in_plain_text_and_html(event, item, agenda):
    _paid_order(event, item)
    (message,) = djmail.outbox
    body = _plain(message)
    assert "Ablaufplan:\n" + AGENDA_LINES in body
    assert "20:00 Ende" in body
    # after pretix's text, before the signature
    assert body.index("Vielen Dank!") < body.index("Ablaufplan:") < body.index("\n-- \n")
    html = html_part(message)
    block = BeautifulSoup(html, "html.parser").find("div", class_="innowerkstatt-agenda-block")
    assert block is not None
    assert block.find("h3").get_text() == "Ablaufplan"
    items = [li.get_text() for li in block.find_all("li")]
    assert items[1] == "18:10 Wir vs. Virus Hackathon – ein Best Practice (Adriana Groh)"
    assert len(items) == 5


@pytest.mark.django_db
def test_free_confirmation_in_english_carries_the_english_agenda(event, item, agenda):
    place_order(event, item, locale="en")
    (message,) = djmail.outbox
    assert "Agenda:\n18:00 Welcome\n18:10 Wir vs. Virus hackathon – a best practice (Adriana Groh)" in _plain(message)


@pytest.mark.django_db
def test_a_text_with_agenda_placeholder_shows_the_agenda_once(event, item, agenda):
    event.settings.mail_text_order_free = LazyI18nString({"de": "Hallo!\n\nDer Ablauf:\n\n{agenda}\n\nBis bald"})
    place_order(event, item)
    (message,) = djmail.outbox
    body = _plain(message)
    assert body.count("18:10 Wir vs. Virus Hackathon") == 1
    assert "Der Ablauf:\n\n18:00 Begrüßung" in body
    html = html_part(message)
    assert html.count("Wir vs. Virus Hackathon – ein Best Practice") == 1
    assert "innowerkstatt-agenda-block" not in html


@pytest.mark.django_db
def test_switched_off_the_confirmation_has_no_agenda(event, item, agenda):
    event.settings.innowerkstatt_agenda_mail_block = False
    place_order(event, item)
    (message,) = djmail.outbox
    assert "Wir vs. Virus" not in message.body
    assert "innowerkstatt-agenda" not in html_part(message)


@pytest.mark.django_db
def test_an_event_without_agenda_gets_no_block(event, item):
    place_order(event, item)
    (message,) = djmail.outbox
    assert "Ablaufplan" not in message.body
    assert "innowerkstatt-agenda-block" not in html_part(message)


@pytest.mark.django_db
def test_mails_without_tickets_get_no_agenda(event, item, agenda):
    """Same rule as the join block: a cancellation (no tickets attached) carries no agenda."""
    order = place_order(event, item)
    djmail.outbox = []
    with scope(organizer=event.organizer):
        cancel_order(order.pk, send_mail=True)
    (message,) = djmail.outbox
    assert "storniert" in message.subject or "cancel" in message.subject.lower()
    assert "Wir vs. Virus" not in message.body


@pytest.mark.django_db
def test_each_attendee_copy_carries_its_own_dates_agenda_the_order_mail_both(event, item, two_dates):
    q2, q3 = two_dates
    event.settings.mail_send_order_free_attendee = True
    event.settings.attendee_emails_asked = True
    place_order(event, item, subevents=(q2, q3), attendee_emails={0: "q2@example.org", 1: "q3@example.org"})
    by_address = {m.to[0]: _plain(m) for m in djmail.outbox}
    assert "Wir vs. Virus" in by_address["q2@example.org"] and "Sommerausgabe" not in by_address["q2@example.org"]
    assert "Sommerausgabe" in by_address["q3@example.org"] and "Wir vs. Virus" not in by_address["q3@example.org"]
    order_mail = by_address["anna@example.org"]
    assert "Wir vs. Virus" in order_mail and "Sommerausgabe" in order_mail
    assert order_mail.index("Q2 –") < order_mail.index("Q3 –")  # each date's agenda under its name, in time order


@pytest.mark.django_db
def test_agenda_block_comes_before_the_join_block_in_plain_text_and_html(event, item, agenda):
    with scopes_disabled():
        configure_event(event, url="https://meet.example.org/room", opens_minutes_before=30)
    place_order(event, item)
    (message,) = djmail.outbox
    body = _plain(message)
    assert "/innowerkstatt/join/" in body
    assert body.index("Ablaufplan:") < body.index("/innowerkstatt/join/")
    html = html_part(message)
    assert html.index("innowerkstatt-agenda-block") < html.index("innowerkstatt-join-block")


@pytest.mark.django_db
def test_the_second_confirmation_for_an_unchanged_agenda_reuses_its_block(event, item, agenda):
    place_order(event, item)
    first = _plain(djmail.outbox[0])
    from pretix_innowerkstatt.agenda.interfaces.mail_block import filter_message

    class Outgoing:
        should_attach_tickets = True
        orderposition = None

    with scopes_disabled():
        order = event.orders.first()
    message = djmail.outbox[0]
    message.body = "Hallo"
    with scope(organizer=event.organizer), CaptureQueriesContext(connection) as queries:
        filter_message(message, event, order, Outgoing())
    # pretix's settings aside (cached in production), only the agenda's version stamp is read
    agenda_queries = [q["sql"] for q in queries if "pretix_innowerkstatt_" in q["sql"]]
    assert len(agenda_queries) == 1 and "MAX(" in agenda_queries[0]
    # pretix's settings store is read a release-dependent number of times; everything else is fixed
    other_queries = [q["sql"] for q in queries if "settingsstore" not in q["sql"]]
    assert len(other_queries) <= 1, other_queries
    assert AGENDA_LINES in message.body.replace("\r\n", "\n")
    assert AGENDA_LINES in first


@pytest.mark.django_db
def test_the_switch_on_the_agenda_page_is_on_by_default_and_turning_it_off_is_logged(admin_client, event):
    page = BeautifulSoup(admin_client.get(URL).content.decode(), "html.parser")
    checkbox = page.find("input", attrs={"name": "settings-innowerkstatt_agenda_mail_block"})
    assert checkbox is not None and checkbox.has_attr("checked")
    form = checkbox.find_parent("form")
    data = {
        field["name"]: field.get("value", "on" if field.get("type") == "checkbox" else "")
        for field in form.find_all("input")
        if field.get("name", "").startswith("settings-")
        and (field.get("type") not in ("radio", "checkbox") or field.has_attr("checked"))
    }
    position, follow = (
        data["settings-innowerkstatt_agenda_position"],
        "settings-innowerkstatt_agenda_follow_event" in data,
    )
    del data["settings-innowerkstatt_agenda_mail_block"]
    assert admin_client.post(URL + "settings/", data).status_code == 302
    event.settings.flush()
    assert event.settings.innowerkstatt_agenda_mail_block is False
    assert event.settings.innowerkstatt_agenda_position == position
    assert event.settings.innowerkstatt_agenda_follow_event is follow
    with scopes_disabled():
        entry = LogEntry.objects.get(event=event, action_type=logtypes.SETTINGS_CHANGED)
    assert entry.parsed_data == {"innowerkstatt_agenda_mail_block": False}
    page = BeautifulSoup(admin_client.get(URL).content.decode(), "html.parser")
    assert not page.find("input", attrs={"name": "settings-innowerkstatt_agenda_mail_block"}).has_attr("checked")
