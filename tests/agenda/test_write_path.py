"""Every way an agenda changes leaves the same trace: one log line, a higher calendar sequence, and
PDF tickets that pretix had already rendered show the change when they are downloaded again."""

import datetime
import io
import json

import pytest
from django_scopes import scope, scopes_disabled
from pretix.base.models import Event, LogEntry, Order
from pretix.base.models.orders import CachedCombinedTicket, CachedTicket
from pretix.base.services.tickets import get_tickets_for_order
from rest_framework.test import APIClient

from pretix_innowerkstatt.agenda import logtypes
from pretix_innowerkstatt.agenda.models import AgendaItem

from .conftest import make_agenda
from .interop_helpers import api_token
from .orders import place_order
from .test_backend import URL, editor_form

API = "/api/v1/organizers/innovationsbuero/events/innowerkstatt/innowerkstatt/agenda/"
CHANGED_TITLE = "Wir vs. Virus – was bleibt"
AGENDA_LOG = "pretix_innowerkstatt.agenda."


def agenda_ticket_layout():
    """pretix's default ticket layout with its first text box printing the agenda."""
    from pretix.plugins.ticketoutputpdf.models import DEFAULT_TICKET_LAYOUT

    layout = json.loads(DEFAULT_TICKET_LAYOUT)
    text = next(o for o in layout if o["type"] == "textcontainer")
    text.update(content="innowerkstatt_agenda", fontsize="6.0", height="60.00", bottom="200.00")
    return layout


@pytest.fixture
def ticket_order(event, item, agenda):
    """A paid order of the event, whose PDF ticket prints the agenda and can be downloaded."""
    with scopes_disabled():
        event.settings.ticket_download = True
        event.settings.ticketoutput_pdf__enabled = True
        event.ticket_layouts.update_or_create(
            default=True, defaults={"name": "Ticket", "layout": json.dumps(agenda_ticket_layout())}
        )
    order = place_order(event, item)
    assert order.status == Order.STATUS_PAID
    return order


def ticket_text(order) -> str:
    """The ticket as the attendee downloads it: pretix's cached rendering if there is one."""
    import pypdf

    with scope(organizer=order.event.organizer):
        order = Order.objects.get(pk=order.pk)  # pretix keeps the layout on the event object
        [(_name, cached)] = get_tickets_for_order(order)
        with cached.file.open("rb") as f:
            data = f.read()
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def writer_api(organizer, **rights) -> APIClient:
    """An integration's client with a team token that may change events (and ``rights``)."""
    api = APIClient()
    token = api_token(organizer, all_events=True, all_event_permissions=True, **rights)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api


def cached_tickets(order) -> int:
    with scopes_disabled():
        return (
            CachedTicket.objects.filter(order_position__order=order).count()
            + CachedCombinedTicket.objects.filter(order=order).count()
        )


def sequences(event) -> dict:
    with scopes_disabled():
        return dict(AgendaItem.objects.filter(event=event).values_list("pk", "sequence"))


# --- the entry points: each makes one change and says what the ticket shows afterwards -----------


def change_in_editor(admin_client, event, agenda):
    data = editor_form(admin_client)
    data["items-1-title_0"] = data["items-1-title_1"] = CHANGED_TITLE
    assert admin_client.post(URL, data).status_code == 302
    return logtypes.ITEM_CHANGED, {agenda[1].pk}, f"18:10 {CHANGED_TITLE}"


def change_through_the_api(admin_client, event, agenda):
    api = writer_api(event.organizer)
    response = api.patch(f"{API}{agenda[1].pk}/", {"title": {"de": CHANGED_TITLE}}, format="json")
    assert response.status_code == 200, response.content
    return logtypes.ITEM_CHANGED, {agenda[1].pk}, f"18:10 {CHANGED_TITLE}"


def copy_on_the_copy_page(admin_client, event, agenda):
    with scopes_disabled():
        source = event.organizer.events.create(
            name="Innowerkstatt Q1", slug="q1", date_from=event.date_from - datetime.timedelta(days=91)
        )
        AgendaItem.objects.create(
            event=source, start=source.date_from + datetime.timedelta(minutes=5), title={"de": "Kennenlernrunde"}
        )
    response = admin_client.post(URL + "copy/", {"source": f"{source.pk}-", "replace": "on"})
    assert response.status_code == 302
    return logtypes.COPIED, set(), "18:05 Kennenlernrunde"


def copy_with_pretix_event_copy(admin_client, event, agenda):
    with scopes_disabled():
        source = Event.objects.create(
            organizer=event.organizer,
            name="Innowerkstatt Q1",
            slug="q1",
            date_from=event.date_from - datetime.timedelta(days=91),
            plugins=event.plugins,
        )
        AgendaItem.objects.create(
            event=source, start=source.date_from + datetime.timedelta(minutes=5), title={"de": "Kennenlernrunde"}
        )
        # pretix's own event copy (used by "copy from" and the clone API), here into an event with orders.
        Event.objects.get(pk=event.pk).copy_data_from(source)
    return logtypes.COPIED, set(), "18:05 Kennenlernrunde"


def shift_on_the_shift_page(admin_client, event, agenda):
    assert admin_client.post(URL + "shift/", {"minutes": "15"}).status_code == 302
    return logtypes.SHIFTED, {item.pk for item in agenda}, "18:25 Wir vs. Virus"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        change_in_editor,
        change_through_the_api,
        copy_on_the_copy_page,
        copy_with_pretix_event_copy,
        shift_on_the_shift_page,
    ],
    ids=["editor", "api", "copy page", "event copy", "shift"],
)
def test_every_agenda_change_is_logged_counts_up_the_sequence_and_reaches_cached_pdf_tickets(
    change, admin_client, event, agenda, ticket_order, django_capture_on_commit_callbacks
):
    before = ticket_text(ticket_order)
    assert "18:10 Wir vs. Virus Hackathon" in before
    assert cached_tickets(ticket_order) == 1  # pretix rendered it once and keeps it
    sequences_before = sequences(event)
    with scopes_disabled():
        logged_before = LogEntry.objects.filter(event=event).count()

    with django_capture_on_commit_callbacks(execute=True):
        action, changed_items, shown = change(admin_client, event, agenda)

    with scopes_disabled():
        new_lines = list(LogEntry.objects.filter(event=event).order_by("pk")[logged_before:])
    assert [line.action_type for line in new_lines if line.action_type.startswith(AGENDA_LOG)] == [action]
    assert cached_tickets(ticket_order) == 0  # pretix renders the ticket afresh on the next download
    after = ticket_text(ticket_order)
    assert shown in after and after != before
    sequences_after = sequences(event)
    for pk, sequence in sequences_after.items():
        if pk in sequences_before:
            assert sequence == sequences_before[pk] + (1 if pk in changed_items else 0), pk


@pytest.mark.django_db
def test_deleting_an_item_through_the_api_reaches_cached_pdf_tickets(
    event, agenda, ticket_order, django_capture_on_commit_callbacks
):
    assert "18:40 Schlaglichter aus dem BMFSFJ" in ticket_text(ticket_order)
    api = writer_api(event.organizer)
    with django_capture_on_commit_callbacks(execute=True):
        assert api.delete(f"{API}{agenda[2].pk}/").status_code == 204
    assert "Schlaglichter" not in ticket_text(ticket_order)
    with scopes_disabled():
        deleted = LogEntry.objects.get(event=event, action_type=logtypes.ITEM_DELETED)
    assert deleted.parsed_data["title"] == "Highlights from the BMFSFJ"  # in the API request's language


@pytest.mark.django_db
def test_renaming_a_speaker_reaches_cached_pdf_tickets_of_the_events_they_speak_at(
    admin_client, event, agenda, adriana, ticket_order, django_capture_on_commit_callbacks
):
    assert "(Adriana Groh)" in ticket_text(ticket_order)
    api = writer_api(event.organizer, all_organizer_permissions=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.patch(
            f"/api/v1/organizers/innovationsbuero/innowerkstatt/speakers/{adriana.pk}/",
            {"name": "Adriana Groh-Muster"},
            format="json",
        )
    assert response.status_code == 200, response.content
    assert "(Adriana Groh-Muster)" in ticket_text(ticket_order)


@pytest.mark.django_db
def test_saving_the_editor_unchanged_changes_nothing_and_logs_nothing(admin_client, event, agenda):
    sequences_before = sequences(event)
    with scopes_disabled():
        logged_before = LogEntry.objects.filter(event=event).count()
    assert admin_client.post(URL, editor_form(admin_client)).status_code == 302
    assert sequences(event) == sequences_before
    with scopes_disabled():
        assert LogEntry.objects.filter(event=event).count() == logged_before


@pytest.mark.django_db
def test_editor_and_api_write_the_same_log_line_for_the_same_change(admin_client, event, adriana):
    """The log line's data is the same whoever changed the item (the API adds what it was sent)."""
    [_welcome, talk, *_rest] = make_agenda(event, adriana)
    change_in_editor(admin_client, event, [_welcome, talk])
    change_through_the_api(admin_client, event, [_welcome, talk])
    with scopes_disabled():
        editor, api = LogEntry.objects.filter(event=event, action_type=logtypes.ITEM_CHANGED).order_by("pk")
    api_data = api.parsed_data
    assert api_data.pop("api_data") == {"title": {"de": CHANGED_TITLE}}
    assert editor.parsed_data == api_data
    assert editor.user is not None and api.api_token is not None


@pytest.mark.django_db
def test_agenda_settings_show_what_is_stored_and_saving_them_unchanged_logs_nothing(admin_client, event):
    assert admin_client.post(URL + "settings/", {"settings-innowerkstatt_agenda_position": "top"}).status_code == 302
    data = settings_form_data(admin_client)
    assert data == {"settings-innowerkstatt_agenda_position": "top"}  # the stored choice, not the default
    with scopes_disabled():
        logged = LogEntry.objects.filter(event=event, action_type=logtypes.SETTINGS_CHANGED).count()
    assert logged == 1
    assert admin_client.post(URL + "settings/", data).status_code == 302
    with scopes_disabled():
        assert LogEntry.objects.filter(event=event, action_type=logtypes.SETTINGS_CHANGED).count() == logged
    event.settings.flush()
    assert event.settings.innowerkstatt_agenda_position == "top"


def settings_form_data(client) -> dict:
    """The agenda page's settings form as the browser would submit it unchanged."""
    from bs4 import BeautifulSoup

    page = BeautifulSoup(client.get(URL).content.decode(), "html.parser")
    form = page.find("form", action=lambda a: a and a.endswith("/agenda/settings/"))
    return {
        field["name"]: field.get("value", "")
        for field in form.find_all("input")
        if field.get("name", "").startswith("settings-")
        and (field.get("type") not in ("radio", "checkbox") or field.has_attr("checked"))
    }
