"""What the signed providers share: who joins, stable derived names, and the unreachable server."""

import datetime
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.utils.timezone import localtime

from ..domain.providers import _attendee_values


class ProviderUnavailable(Exception):
    """The meeting server did not answer (in time): the join page says so with status 503."""


@dataclass(frozen=True)
class Participant:
    """Who is sent to the meeting: an attendee's ticket or a host from the agenda."""

    name: str
    email: str
    user_id: str  # stable per ticket / per person: the server's attendance report maps back to it
    moderator: bool
    event: object
    dated: object  # the subevent of a series, else the event: its date names the meeting
    opens: datetime.datetime | None = None
    closes: datetime.datetime | None = None


def attendee(position, window=None) -> Participant:
    event = position.order.event
    values = _attendee_values(position)
    return Participant(
        name=values["attendee_name"] or position.order.code,
        email=values["attendee_email"],
        user_id=f"{position.order.code}-{position.positionid}",
        moderator=False,
        event=event,
        dated=position.subevent or event,
        opens=window.opens if window else None,
        closes=window.closes if window else None,
    )


def derived_name(kind: str, participant: Participant, length: int = 24) -> str:
    """``<event slug>-<HMAC>`` of organiser, event and date under ``SECRET_KEY``: stable and unguessable."""
    event = participant.event
    date = localtime(participant.dated.date_from, event.timezone).date().isoformat()
    message = f"innowerkstatt-{kind}|{event.organizer.slug}|{event.slug}|{date}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:length]
    return f"{event.slug}-{date}-{digest}"
