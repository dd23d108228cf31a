"""With each meeting service, its secrets and signed URLs appear only in the join/host POST's Location.

For the generic provider (with a separate host URL), Jitsi with JWT and BigBlueButton (against
the local stand-in server), an attendee and a host join; then every output the plugin and pretix
produce for the event is collected and searched for: the meeting URL, the host URL, the shared
secret or app secret, the signed join URLs, the JWTs, BBB checksums and the derived room or
meeting name. Outputs: the join and host pages (GET), the order page, the backend Hosts page,
attendee mails and host-link mails (every MIME part decoded, attachments and their calendar
files included), the event and organiser log (data and display text), the REST API (agenda,
speakers, hosts – whose host link is ours, not the service's –, orders, order positions, check-in
lists, settings), ``agenda.ics``, pretix's calendar, ``schedule.json`` and the PDF ticket text
variables.
"""

import datetime
import email
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail as djmail
from django.test import Client
from django_scopes import scopes_disabled
from pretix.base.models import LogEntry, Team

from pretix_innowerkstatt.agenda.models import AgendaItem, AgendaItemSpeaker, Speaker
from pretix_innowerkstatt.videolinks.domain import hosts
from pretix_innowerkstatt.videolinks.domain.editing import save_event_settings
from pretix_innowerkstatt.videolinks.domain.links import join_path
from pretix_innowerkstatt.videolinks.domain.notifications import send_access_update
from pretix_innowerkstatt.videolinks.logtypes import HOST_JOINED

from .bbb_server import StandIn
from .conftest import MEETING_URL, mark_paid, place_order
from .test_bigbluebutton import fresh_memory  # noqa: F401  (autouse: the stand-in on 127.0.0.1, no created meetings)

HOST_URL = "https://zoom.example.org/s/4711?zak=host-start-token-0815"
JITSI_SECRET = "jitsi-app-secret-never-shown-4711-abcdefghij"
BBB_SECRET = "bbb-shared-secret-never-shown-0815"
# Joins and host joins are open now (the event is 30 days ahead): no frozen clock next to a real server.
OPEN_NOW = 60 * 24 * 40
EVENT = "/innovationsbuero/innowerkstatt/"
API = "/api/v1/organizers/innovationsbuero/"


def generic(server_url):
    return {"url": MEETING_URL, "provider_settings": {"innowerkstatt_video_generic_host_url": HOST_URL}}


def jitsi(server_url):
    settings = {"domain": "meet.example.org", "app_id": "innowerkstatt", "app_secret": JITSI_SECRET}
    return {
        "url": "https://meet.example.org/",
        "provider": "jitsi",
        "provider_settings": {f"innowerkstatt_video_jitsi_{k}": v for k, v in settings.items()},
    }


def bigbluebutton(server_url):
    settings = {"api_url": server_url, "shared_secret": BBB_SECRET}
    return {
        "url": server_url,
        "provider": "bigbluebutton",
        "provider_settings": {f"innowerkstatt_video_bigbluebutton_{k}": v for k, v in settings.items()},
    }


# provider: (how to configure it, the secrets configured)
PROVIDERS = {
    "generic": (generic, [MEETING_URL, "innowerkstatt-secret-room", HOST_URL, "host-start-token-0815"]),
    "jitsi": (jitsi, [JITSI_SECRET]),
    "bigbluebutton": (bigbluebutton, [BBB_SECRET]),
}


def secrets_of_a_redirect(location: str) -> list[str]:
    """The signed URL itself and what in it gives access: a JWT, a checksum, the derived room or meeting."""
    found = [location]
    query = parse_qs(urlsplit(location).query)
    found += query.get("jwt", []) + query.get("checksum", []) + query.get("meetingID", [])
    if "jwt" in query:
        found.append(urlsplit(location).path.strip("/"))  # the derived, unguessable Jitsi room
    return found


def mail_texts(messages) -> dict:
    """Every decoded MIME part of every mail (text, HTML, calendar files, tickets), by mail and part."""
    texts = {}
    for number, message in enumerate(messages):
        parsed = email.message_from_bytes(message.message().as_bytes())
        texts[f"mail {number} headers"] = str(parsed.items())
        for index, part in enumerate(parsed.walk()):
            payload = part.get_payload(decode=True)
            if payload is not None:
                texts[f"mail {number} ({message.subject}) part {index} {part.get_content_type()}"] = payload.decode(
                    "utf-8", "replace"
                )
    return texts


def body_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", "replace")


@pytest.fixture(params=list(PROVIDERS))
def provider(request, configured_event, admin_user):
    """The event with the provider configured through its write path, and the stand-in BBB server running."""
    configure, secrets = PROVIDERS[request.param]
    with StandIn(BBB_SECRET) as server:
        with scopes_disabled():
            save_event_settings(
                configured_event, user=admin_user, opens_minutes_before=OPEN_NOW, **configure(server.url)
            )
        yield request.param, list(secrets)


@pytest.fixture
def outputs_after_joins(provider, configured_event, item, admin_client, admin_user):
    """``(forbidden strings, {output name: text})`` after an attendee and a host have joined."""
    name, forbidden = provider
    event = configured_event
    with scopes_disabled():
        event.settings.attendee_emails_asked = True
        event.settings.mail_attach_ical = True
        event.settings.mail_send_order_paid_attendee = True
        event.settings.ticket_download = True
        event.organizer.enable_plugin("pretix.plugins.banktransfer")
        event.organizer.save()
        ticket = event.items.create(name="Ticket", default_price=Decimal("10.00"), admission=True)
        event.quotas.first().items.add(ticket)
        adriana = Speaker.objects.create(organizer=event.organizer, name="Adriana Groh", email="adriana@example.org")
        talk = AgendaItem.objects.create(
            event=event, start=event.date_from, end=event.date_from + datetime.timedelta(minutes=30), title="Keynote"
        )
        AgendaItemSpeaker.objects.create(item=talk, speaker=adriana, role=AgendaItemSpeaker.ROLE_SPEAKER)
    djmail.outbox = []
    order = place_order(event, ticket, [("Ada Lovelace", "ada@example.org")])
    mark_paid(order)
    with scopes_disabled():
        position = order.positions.get()
        join = join_path(position)
        host = hosts.host_path(event, adriana)
        send_access_update(event, user=admin_user)
    assert (
        admin_client.post(
            "/control/event/innovationsbuero/innowerkstatt/innowerkstatt/video/hosts/", {"speaker": "all"}
        ).status_code
        == 302
    )

    visitor = Client(HTTP_ACCEPT_LANGUAGE="en")
    outputs = {}
    locations = []
    for kind, path in (("join", join), ("host", host)):
        page = visitor.get(path)
        assert page.status_code == 200, kind
        outputs[f"{kind} page"] = body_of(page)
        response = visitor.post(path, {"csrfmiddlewaretoken": page.context["csrf_token"]})
        assert response.status_code == 302, (kind, body_of(response)[:500])
        locations.append(response["Location"])
        outputs[f"{kind} page after the join"] = body_of(visitor.get(path))
    # The one place they belong: the redirect's Location header.
    if name == "generic":
        assert locations == [MEETING_URL, HOST_URL]
    for location, role in zip(locations, ("VIEWER", "MODERATOR"), strict=True):
        query = parse_qs(urlsplit(location).query)
        if name == "jitsi":
            assert location.startswith("https://meet.example.org/innowerkstatt-") and query["jwt"]
        if name == "bigbluebutton":
            assert query["role"] == [role] and query["checksum"]
        forbidden += secrets_of_a_redirect(location)

    outputs["order page"] = body_of(visitor.get(f"{EVENT}order/{order.code}/{order.secret}/"))
    outputs["backend Hosts page"] = body_of(
        admin_client.get("/control/event/innovationsbuero/innowerkstatt/innowerkstatt/video/hosts/")
    )
    outputs.update(mail_texts(djmail.outbox))
    for path in ("innowerkstatt/agenda.ics", "ical", "innowerkstatt/schedule.json"):
        response = visitor.get(EVENT + path)
        assert response.status_code == 200, path
        outputs[path] = body_of(response)

    with scopes_disabled():
        for entry in LogEntry.objects.filter(organizer_id=event.organizer_id):
            outputs[f"log {entry.action_type} #{entry.pk} data"] = entry.data
            outputs[f"log {entry.action_type} #{entry.pk} display"] = str(entry.display())
        team = Team.objects.create(
            organizer=event.organizer,
            name="Everything",
            all_events=True,
            all_event_permissions=True,
            all_organizer_permissions=True,
        )
        token = team.tokens.create(name="leak test").token
        from pretix.base.pdf import get_variables

        for key, variable in get_variables(event).items():
            try:
                value = variable["evaluate"](position, order, event)
            except Exception:  # pretix's own variables for features this event does not use
                continue
            outputs[f"pdf {key}"] = str(value)
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    for path in (
        "innowerkstatt/speakers/",
        "events/innowerkstatt/innowerkstatt/agenda/",
        "events/innowerkstatt/innowerkstatt/hosts/",
        "events/innowerkstatt/orders/",
        "events/innowerkstatt/orderpositions/",
        "events/innowerkstatt/checkinlists/",
        "events/innowerkstatt/settings/",
        "events/innowerkstatt/",
    ):
        response = api.get(API + path)
        assert response.status_code == 200, path
        outputs[f"api {path}"] = body_of(response)

    # The outputs do carry what they should, so a silent empty output cannot pass for a clean one.
    assert any("/innowerkstatt/join/" in text for key, text in outputs.items() if key.startswith("mail"))
    assert any(host in text for key, text in outputs.items() if key.startswith("mail"))
    assert any("BEGIN:VCALENDAR" in text and "/innowerkstatt/join/" in text for text in outputs.values())
    assert "/innowerkstatt/join/" in outputs["pdf innowerkstatt_join_link"]
    assert host in outputs["api events/innowerkstatt/innowerkstatt/hosts/"]
    assert "Keynote" in outputs["innowerkstatt/schedule.json"] and "Keynote" in outputs["innowerkstatt/agenda.ics"]
    with scopes_disabled():
        assert LogEntry.objects.filter(event=event, action_type=HOST_JOINED).count() == 1
    return forbidden, outputs


@pytest.mark.django_db
def test_secrets_and_signed_urls_appear_only_in_the_redirects_location(outputs_after_joins):
    forbidden, outputs = outputs_after_joins
    leaks = [(name, secret[:60]) for name, text in outputs.items() for secret in forbidden if secret and secret in text]
    assert leaks == []
