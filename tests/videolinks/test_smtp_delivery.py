"""The paid confirmation over real SMTP: what an attendee's mail server receives."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from django_scopes import scopes_disabled

from pretix_innowerkstatt.videolinks.domain.links import join_url

from .conftest import MEETING_URL, mark_paid, place_order
from .test_mail import paid_item  # NOQA: F401  (fixture)


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=email.policy.default))
        )
        return "250 Message accepted"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_inbox(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield inbox
    controller.stop()


def _text_of(message):
    return "\n".join(
        part.get_content() for part in message.walk() if part.get_content_type() in ("text/plain", "text/html")
    )


@pytest.mark.django_db
def test_attendee_receives_own_link_over_smtp_and_never_the_meeting_url(
    configured_event,
    paid_item,  # NOQA: F811
    smtp_inbox,
    django_capture_on_commit_callbacks,
):
    # With a real mail backend pretix sends once the order's transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        order = place_order(
            configured_event, paid_item, [("Ada Lovelace", "ada@example.org"), ("Bob", "bob@example.org")]
        )
    assert all("ada@example.org" not in rcpt for rcpt, _ in smtp_inbox.messages)  # unpaid: no attendee mail yet
    placed = [m for rcpt, m in smtp_inbox.messages if "buyer@example.org" in rcpt]
    assert placed and "/innowerkstatt/join/" not in _text_of(placed[0])

    with django_capture_on_commit_callbacks(execute=True):
        mark_paid(order)
    with scopes_disabled():
        ada, bob = order.positions.order_by("positionid")
        ada_link, bob_link = join_url(ada), join_url(bob)
    [ada_mail] = [m for rcpt, m in smtp_inbox.messages if rcpt == ["ada@example.org"]]
    body = _text_of(ada_mail)
    assert ada_link in body
    assert bob_link not in body
    assert MEETING_URL not in ada_mail.as_string()
    calendars = [p.get_content() for p in ada_mail.walk() if p.get_content_type() == "text/calendar"]
    assert calendars and ada_link in calendars[0].replace("\r\n ", "")
