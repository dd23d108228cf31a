"""The agenda on the public event page: position, dates of a series, timezone, speaker cards, widget."""

import datetime
import io
import json

import pytest
from django.core.files.base import ContentFile
from django_scopes import scopes_disabled
from PIL import Image

from .conftest import make_agenda

EVENT_PAGE = "/innovationsbuero/innowerkstatt/"


@pytest.mark.django_db
def test_agenda_at_the_bottom_by_default_with_times_timezone_and_speaker(client, event, item, agenda):
    html = client.get(EVENT_PAGE).content.decode()
    assert 'id="innowerkstatt-agenda"' in html
    assert html.index('id="innowerkstatt-agenda"') > html.index('id="btn-add-to-cart"')
    assert "Europe/Berlin" in html
    local = agenda[1].start.astimezone(event.timezone)
    assert f'<time datetime="{local.isoformat()}">18:10</time>' in html
    assert "Wir vs. Virus Hackathon – ein Best Practice" in html
    assert "Adriana Groh" in html
    assert "Co-Organisatorin Wir vs. Virus Hackathon" in html
    assert "<strong>Prototype Fund</strong>" in html  # the biography's Markdown, rendered
    assert 'href="https://prototypefund.de"' in html
    assert "<ol" in html and "<h2" in html


@pytest.mark.django_db
def test_english_page_shows_english_texts(client, event, item, agenda):
    client.cookies["pretix_language"] = "en"
    html = client.get(EVENT_PAGE).content.decode()
    assert "Wir vs. Virus hackathon – a best practice" in html
    assert "All times in the time zone Europe/Berlin" in html


@pytest.mark.django_db
def test_position_top_and_off(client, event, item, agenda):
    event.settings.innowerkstatt_agenda_position = "top"
    html = client.get(EVENT_PAGE).content.decode()
    assert html.index('id="innowerkstatt-agenda"') < html.index('id="btn-add-to-cart"')
    event.settings.innowerkstatt_agenda_position = "off"
    assert 'id="innowerkstatt-agenda"' not in client.get(EVENT_PAGE).content.decode()


@pytest.mark.django_db
def test_hidden_when_empty_or_plugin_disabled(client, event, item, agenda):
    with scopes_disabled():
        event.disable_plugin("pretix_innowerkstatt")
        event.save()
    assert 'id="innowerkstatt-agenda"' not in client.get(EVENT_PAGE).content.decode()
    with scopes_disabled():
        event.enable_plugin("pretix_innowerkstatt")
        event.save()
        event.innowerkstatt_agenda_items.all().delete()
    html = client.get(EVENT_PAGE).content.decode()
    assert 'id="innowerkstatt-agenda"' not in html
    assert 'id="btn-add-to-cart"' in html


@pytest.mark.django_db
def test_each_date_shows_its_own_agenda_or_the_event_agenda_moved_to_its_start(client, event, item, adriana):
    with scopes_disabled():
        event.has_subevents = True
        event.save()
        first = event.subevents.create(name="Q2", date_from=event.date_from, active=True)
        later = event.subevents.create(
            name="Q3", date_from=event.date_from + datetime.timedelta(days=7, hours=-1), active=True
        )
        own = event.subevents.create(name="Q4", date_from=event.date_from + datetime.timedelta(days=14), active=True)
        for se in (first, later, own):
            q = event.quotas.create(name=f"Plätze {se.name}", size=10, subevent=se)
            q.items.add(item)
        make_agenda(event, adriana)
        from pretix_innowerkstatt.agenda.models import AgendaItem

        AgendaItem.objects.create(event=event, subevent=own, start=own.date_from, title={"de": "Sonderausgabe"})

    html = client.get(f"{EVENT_PAGE}{first.pk}/").content.decode()
    assert "Wir vs. Virus Hackathon" in html
    html = client.get(f"{EVENT_PAGE}{later.pk}/").content.decode()
    # The event's running order, relative to this date's start (17:00): the talk is at 17:10.
    moved = (later.date_from + datetime.timedelta(minutes=10)).astimezone(event.timezone)
    assert f'<time datetime="{moved.isoformat()}">17:10</time>' in html
    html = client.get(f"{EVENT_PAGE}{own.pk}/").content.decode()
    assert "Sonderausgabe" in html
    assert "Wir vs. Virus Hackathon" not in html
    # The series' calendar itself shows no agenda.
    assert 'id="innowerkstatt-agenda"' not in client.get(EVENT_PAGE).content.decode()


@pytest.mark.django_db
def test_speaker_photo_as_thumbnail(client, event, item, agenda, adriana):
    buffer = io.BytesIO()
    Image.new("RGB", (600, 400), (10, 120, 200)).save(buffer, format="PNG")
    with scopes_disabled():
        adriana.photo.save("adriana.png", ContentFile(buffer.getvalue()))
    html = client.get(EVENT_PAGE).content.decode()
    assert 'class="media-object img-rounded" src="' in html
    src = html.split('class="media-object img-rounded" src="')[1].split('"')[0]
    assert src != adriana.photo.url  # the thumbnail, not the original upload
    assert ".160x160c." in src


@pytest.mark.django_db
def test_widget_and_checkout_are_unaffected(client, event, item, agenda):
    widget = client.get(EVENT_PAGE + "widget/product_list")
    assert widget.status_code == 200
    data = json.loads(widget.content.decode())
    assert "Hackathon" not in json.dumps(data)
    assert data["items_by_category"]
    # The shop inside the widget's iframe shows pretix's page without the agenda.
    framed = client.get(EVENT_PAGE + "w/abcdefghijklmnop/")
    assert framed.status_code == 200
    assert 'id="btn-add-to-cart"' in framed.content.decode()
    assert "innowerkstatt-agenda" not in framed.content.decode()
    # Into the cart and to checkout: the agenda stays on the event page only.
    response = client.post(EVENT_PAGE + "cart/add", {f"item_{item.pk}": "1"}, follow=True)
    assert response.status_code == 200
    checkout = client.get(EVENT_PAGE + "checkout/start", follow=True)
    assert checkout.status_code == 200
    assert "innowerkstatt-agenda" not in checkout.content.decode()
    assert "/checkout/" in checkout.redirect_chain[-1][0]


@pytest.mark.django_db
def test_changes_show_at_once_although_renderings_are_reused(client, event, item, agenda, adriana):
    from pretix_innowerkstatt.agenda.domain.shifting import shift_agenda

    def page():
        return client.get(EVENT_PAGE).content.decode()

    assert ">18:10</time>" in page()
    with scopes_disabled():
        shift_agenda(event, None, 5)  # a bulk update, no save()
    assert ">18:15</time>" in page()
    with scopes_disabled():
        adriana.name = "Adriana Groh (neu)"
        adriana.save()
    assert "Adriana Groh (neu)" in page()
    with scopes_disabled():
        talk = event.innowerkstatt_agenda_items.get(pk=agenda[1].pk)
        talk.title = {"de": "Neuer Titel"}
        talk.save()
    assert "Neuer Titel" in page()
    with scopes_disabled():
        adriana.delete()
    assert "Adriana" not in page()
    with scopes_disabled():
        event.innowerkstatt_agenda_items.all().delete()
    assert 'id="innowerkstatt-agenda"' not in page()


@pytest.mark.django_db
def test_page_links_the_agenda_stylesheet_and_kind_label_never_repeats_the_title(client, event, item, agenda):
    html = client.get(EVENT_PAGE).content.decode()
    assert '<link rel="stylesheet" href="/static/pretix_innowerkstatt/agenda/agenda.css">' in html
    # "Wir vs. Virus …" is a talk: its kind is named; "Begrüßung" is a welcome, titled just so.
    assert '<small class="innowerkstatt-agenda-kind">Vortrag</small>' in html
    assert "Begrüßung</small>" not in html
