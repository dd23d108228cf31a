"""The personal join link of a position: stable, unguessable, on the shop's own domain.

``/<organizer>/<event>/innowerkstatt/join/<order code>/<position id>/<secret>/``; ``position id``
is pretix's per-order ``positionid`` (as in pretix's own ticket page URLs). The secret is an
HMAC of the position's ``web_secret`` under ``SECRET_KEY``: nobody can derive it without both,
and when pretix regenerates the position's secrets the old link stops working.
"""

import base64
import hashlib
import hmac

from django.conf import settings

URL_NAME = "plugins:pretix_innowerkstatt:join"
SECRET_LENGTH = 32  # 32 URL-safe base64 characters: 192 bits
_CONTEXT = b"pretix_innowerkstatt.videolinks.join:"


def secret_for(web_secret: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), _CONTEXT + web_secret.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:SECRET_LENGTH]


def join_secret(position) -> str:
    """The secret part of ``position``'s personal join URL."""
    return secret_for(position.web_secret)


def secret_matches(position, given: str) -> bool:
    """Constant-time comparison; ``position`` may be None (then a dummy secret is compared)."""
    expected = secret_for(position.web_secret if position is not None else "\0no-such-position")
    return hmac.compare_digest(expected.encode(), (given or "").encode()) and position is not None


def join_kwargs(position, event=None):
    event = event or position.order.event
    return {
        "organizer": event.organizer.slug,
        "event": event.slug,
        "order": position.order.code,
        "position": position.positionid,
        "secret": join_secret(position),
    }


def join_path(position) -> str:
    """``/<organizer>/<event>/innowerkstatt/join/<order code>/<position id>/<secret>/`` (main domain)."""
    from django.urls import reverse
    from pretix.multidomain import maindomain_urlconf

    return reverse(URL_NAME, kwargs=join_kwargs(position), urlconf=maindomain_urlconf)


def join_url(position, event=None) -> str:
    """The absolute personal link, respecting custom shop domains (pretix's eventreverse)."""
    from ...compat import eventreverse_absolute

    event = event or position.order.event
    kwargs = join_kwargs(position, event)
    kwargs.pop("organizer")
    kwargs.pop("event")
    return eventreverse_absolute(event, URL_NAME, kwargs=kwargs)
