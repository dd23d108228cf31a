"""pretix's pages keep working with the agenda on, and deactivated dates publish no agenda."""
# ruff: noqa: F811  (fixtures imported from interop_helpers are used as test arguments)

import icalendar
import pytest
from django.utils import translation
from django_scopes import scopes_disabled
from django_scopes.state import get_scope

from .interop_helpers import evening, series  # noqa: F401
from .orders import place_order

EVENT_PAGE = "/innovationsbuero/innowerkstatt/"


@pytest.mark.django_db
def test_agenda_section_renders_again_outside_the_request_scope(client, event, item, agenda):
    """pretix's own tests read ``response.rendered_content``, which renders the page again after
    the request (and its organiser scope) is over; so may any lazily rendered TemplateResponse.
    The page's template asks the agenda's receiver for its section then."""
    from pretix_innowerkstatt.agenda import signals

    response = client.get(EVENT_PAGE)
    assert response.status_code == 200
    assert "organizer" not in get_scope()  # the request's scope has ended
    section = signals.front_page_bottom(event, request=response.wsgi_request, subevent=None)
    assert 'id="innowerkstatt-agenda"' in section
    assert "Wir vs. Virus Hackathon – ein Best Practice" in section


@pytest.mark.django_db
def test_event_page_with_agenda_renders_again_outside_the_request_scope(client, event, item, agenda):
    """The whole front page, rendered again as pretix's tests do, with every receiver of the plugin."""
    response = client.get(EVENT_PAGE)
    assert response.status_code == 200
    assert "organizer" not in get_scope()
    again = response.rendered_content
    assert 'id="innowerkstatt-agenda"' in again
    assert "Wir vs. Virus Hackathon – ein Best Practice" in again


@pytest.mark.django_db
def test_agenda_in_mails_and_tickets_is_computed_outside_any_scope(event, item, agenda):
    """Mail texts and tickets are rendered in tasks too, where no request's scope is active."""
    from pretix.base.pdf import get_variables

    from pretix_innowerkstatt.agenda.interfaces import mail_placeholders

    order = place_order(event, item)
    with scopes_disabled():
        position = order.positions.select_related("subevent").get()
        variables = get_variables(event)
    assert "organizer" not in get_scope() and get_scope().get("_enabled", True)
    [placeholder] = [
        p for p in mail_placeholders.placeholders(event) if p.identifier == "agenda" and p.required_context == ["event"]
    ]
    with translation.override("de"):
        assert "18:10 Wir vs. Virus Hackathon" in str(placeholder.render({"event": event}))
        assert "(Adriana Groh)" in variables["innowerkstatt_agenda"]["evaluate"](position, order, event)


@pytest.fixture
def deactivated_date(event, evening, series):
    """The series' second date, which shows the event's agenda, switched off."""
    own, shared = series
    with scopes_disabled():
        shared.active = False
        shared.save()
    return own, shared


@pytest.mark.django_db
def test_deactivated_date_is_not_in_the_series_schedule_json(client, event, deactivated_date):
    own, shared = deactivated_date
    document = client.get(f"{EVENT_PAGE}innowerkstatt/schedule.json").json()
    days = document["schedule"]["conference"]["days"]
    assert [day["date"] for day in days] == [own.date_from.astimezone(event.timezone).date().isoformat()]
    talks = [talk for day in days for talks in day["rooms"].values() for talk in talks]
    assert [talk["title"] for talk in talks] == ["Nur am ersten Termin"]
    assert all(f"/{shared.pk}/" not in talk["url"] for talk in talks)


@pytest.mark.django_db
def test_deactivated_date_is_not_in_the_series_agenda_ics(client, event, deactivated_date):
    own, shared = deactivated_date
    calendar = icalendar.Calendar.from_ical(client.get(f"{EVENT_PAGE}innowerkstatt/agenda.ics").content)
    entries = list(calendar.walk("VEVENT"))
    assert [str(entry["SUMMARY"]) for entry in entries] == ["Nur am ersten Termin"]
    assert {entry.decoded("DTSTART").date() for entry in entries} == {own.date_from.astimezone(event.timezone).date()}

    with scopes_disabled():
        shared.active = True
        shared.save()
    calendar = icalendar.Calendar.from_ical(client.get(f"{EVENT_PAGE}innowerkstatt/agenda.ics").content)
    assert len(list(calendar.walk("VEVENT"))) == 5  # active again: its four items are back
