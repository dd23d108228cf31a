"""``{agenda}`` and ``{speakers}`` in pretix's mails: order mails, attendee mails, scheduled emails."""

import datetime

import pytest
from django.core import mail as djmail
from django.utils import translation
from django_scopes import scope, scopes_disabled
from i18nfield.strings import LazyI18nString
from pretix.base.models import OrderPosition

from pretix_innowerkstatt.agenda.models import AgendaItem

from .conftest import make_agenda
from .orders import html_part, place_order

TEXT = LazyI18nString({"de": "Hallo!\n\nDer Ablauf:\n\n{agenda}\n\nMit dabei:\n\n{speakers}\n\nBis bald", "en": "x"})


@pytest.fixture
def free_mail(event):
    event.settings.mail_text_order_free = TEXT
    return event


@pytest.mark.django_db
def test_free_order_mail_has_agenda_in_text_and_html_part(free_mail, event, item, agenda):
    place_order(event, item)
    assert len(djmail.outbox) == 1
    message = djmail.outbox[0]
    assert "18:00 Begrüßung\n18:10 Wir vs. Virus Hackathon – ein Best Practice (Adriana Groh)\n" in message.body
    assert "20:00 Ende" in message.body
    assert "Adriana Groh – Co-Organisatorin Wir vs. Virus Hackathon, Project Lead Prototype Fund" in message.body
    html = html_part(message)
    assert '<ul class="innowerkstatt-agenda">' in html
    assert "Wir vs. Virus Hackathon – ein Best Practice" in html
    assert "<li><strong>18:10</strong> Wir vs. Virus Hackathon – ein Best Practice (Adriana Groh)</li>" in html
    assert '<ul class="innowerkstatt-speakers">' in html
    assert "{agenda}" not in message.body and "{agenda}" not in html


@pytest.mark.django_db
def test_paid_mail_has_agenda(event, item, agenda):
    event.settings.mail_text_order_paid = TEXT
    item.default_price = 10
    item.save()
    with scopes_disabled():
        order = place_order(event, item)
    event.settings.mail_text_order_placed = TEXT
    with scope(organizer=event.organizer):
        order.refresh_from_db()
        assert order.status == "n"
        payment = order.payments.create(provider="manual", amount=order.total)
        djmail.outbox = []
        payment.confirm()
    assert len(djmail.outbox) == 1
    assert "18:10 Wir vs. Virus Hackathon" in djmail.outbox[0].body


@pytest.mark.django_db
def test_order_placed_mail_has_agenda(event, item, agenda):
    event.settings.mail_text_order_placed = TEXT
    item.default_price = 10
    item.save()
    order = place_order(event, item)
    assert order.status == "n"  # pending: pretix sends the "order placed" mail, not the paid one
    assert len(djmail.outbox) == 1
    message = djmail.outbox[0]
    assert "18:10 Wir vs. Virus Hackathon – ein Best Practice (Adriana Groh)" in message.body
    assert "Adriana Groh – Co-Organisatorin" in message.body
    html = html_part(message)
    assert "<li><strong>18:10</strong> Wir vs. Virus Hackathon – ein Best Practice (Adriana Groh)</li>" in html
    assert "{agenda}" not in message.body and "{agenda}" not in html


@pytest.mark.django_db
def test_mail_in_english_shows_english_titles(free_mail, event, item, agenda):
    event.settings.mail_text_order_free = LazyI18nString({"de": "{agenda}", "en": "Agenda:\n\n{agenda}"})
    place_order(event, item, locale="en")
    assert "18:10 Wir vs. Virus hackathon – a best practice (Adriana Groh)" in djmail.outbox[0].body


@pytest.mark.django_db
def test_order_with_several_dates_gets_one_agenda_per_date(free_mail, event, item, adriana):
    with scopes_disabled():
        event.has_subevents = True
        event.save()
        q2 = event.subevents.create(name="Q2", date_from=event.date_from, active=True)
        q3 = event.subevents.create(name="Q3", date_from=event.date_from + datetime.timedelta(days=91), active=True)
        for se in (q2, q3):
            event.quotas.create(name=se.name, size=10, subevent=se).items.add(item)
        make_agenda(event, adriana)
        AgendaItem.objects.create(event=event, subevent=q3, start=q3.date_from, title={"de": "Sommerausgabe"})
    place_order(event, item, subevents=(q3, q2))
    body = djmail.outbox[0].body
    assert body.index("Q2 – ") < body.index("18:10 Wir vs. Virus Hackathon") < body.index("Q3 – ")
    assert body.index("Q3 – ") < body.index("18:00 Sommerausgabe")
    assert body.count("Begrüßung") == 1
    html = html_part(djmail.outbox[0])
    assert html.count('<ul class="innowerkstatt-agenda">') == 2


@pytest.mark.django_db
def test_attendee_mail_shows_agenda_of_the_attendees_date(event, item, two_dates):
    q2, q3 = two_dates
    event.settings.attendee_emails_asked = True
    event.settings.mail_send_order_free_attendee = True
    event.settings.mail_text_order_free_attendee = LazyI18nString({"de": "Ihr Ablauf:\n\n{agenda}"})
    place_order(event, item, subevents=(q2, q3), attendee_emails={0: "q2@example.org", 1: "q3@example.org"})
    by_recipient = {m.to[0]: m.body for m in djmail.outbox}
    assert "18:10 Wir vs. Virus Hackathon" in by_recipient["q2@example.org"]
    assert "Sommerausgabe" not in by_recipient["q2@example.org"]
    assert "Sommerausgabe" in by_recipient["q3@example.org"]
    assert "Hackathon" not in by_recipient["q3@example.org"]


@pytest.mark.django_db
def test_scheduled_email_rule_of_sendmail_plugin(event, item, agenda):
    from pretix.plugins.sendmail.models import Rule, ScheduledMail

    with scopes_disabled():
        event.enable_plugin("pretix.plugins.sendmail")
        event.save()
        order = place_order(event, item)
        rule = Rule.objects.create(
            event=event,
            subject=LazyI18nString({"de": "Erinnerung"}),
            template=LazyI18nString({"de": "Gleich geht es los:\n\n{agenda}\n\n{speakers}"}),
            date_is_absolute=True,
            send_date=event.date_from - datetime.timedelta(days=60),
            all_products=True,
        )
        djmail.outbox = []
        with scope(organizer=event.organizer):
            for scheduled in ScheduledMail.objects.filter(rule=rule):
                scheduled.send()
    assert len(djmail.outbox) == 1
    message = djmail.outbox[0]
    assert message.to == [order.email]
    assert "18:10 Wir vs. Virus Hackathon – ein Best Practice (Adriana Groh)" in message.body
    assert "Adriana Groh – Co-Organisatorin" in message.body
    assert '<ul class="innowerkstatt-agenda">' in html_part(message)


@pytest.mark.django_db
def test_placeholders_are_offered_with_samples_and_accepted_in_mail_settings(admin_client, event, agenda):
    url = "/control/event/innovationsbuero/innowerkstatt/settings/email"
    page = admin_client.get(url).content.decode()
    assert "{agenda}" in page and "{speakers}" in page
    assert "18:10 Wir vs. Virus" in page  # the sample is the event's own agenda
    # A subject line cannot hold a block of lines; pretix's validator refuses it there.
    from pretix.base.services.placeholders import get_available_placeholders

    assert "agenda" in get_available_placeholders(event, ["event", "order", "position"], rich=True)
    assert "agenda" not in get_available_placeholders(event, ["event", "order"], rich=False)


@pytest.mark.django_db
def test_pdf_ticket_variables_per_date(event, item, adriana):
    from pretix.base.pdf import get_variables

    with scopes_disabled():
        event.has_subevents = True
        event.save()
        q3 = event.subevents.create(name="Q3", date_from=event.date_from + datetime.timedelta(days=91), active=True)
        event.quotas.create(name="Q3", size=10, subevent=q3).items.add(item)
        make_agenda(event, adriana)
        order = place_order(event, item, subevents=(q3,))
        position = OrderPosition.objects.get(order=order)
        variables = get_variables(event)
        with translation.override("de"):
            agenda = variables["innowerkstatt_agenda"]["evaluate"](position, order, q3)
            speakers = variables["innowerkstatt_speakers"]["evaluate"](position, order, q3)
    assert agenda.splitlines()[1] == "18:10 Wir vs. Virus Hackathon – ein Best Practice (Adriana Groh)"
    assert speakers.startswith("Adriana Groh – ")
    assert "innowerkstatt_agenda" in variables and variables["innowerkstatt_agenda"]["editor_sample"]
