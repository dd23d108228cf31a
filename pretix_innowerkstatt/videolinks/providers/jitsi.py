"""Jitsi Meet with JWT authentication: redirect to ``https://<domain>/<room>?jwt=<token>``.

The token (PyJWT) carries ``room``, ``sub`` (the domain), ``aud`` and ``iss`` (the app ID),
``nbf`` (the window's opening), ``exp`` (the window's closing, or the end plus 60 minutes if
the event has no closing time) and ``context.user`` with the name, ``id`` and ``moderator``.
The attendee's email is sent only as a hash (``email`` holds the SHA-256 hex of the lower-cased
address, the form Gravatar-style avatars use): the meeting server needs no address to work, and
the token sits in browser histories. Signed with the app secret (HS256), or with an RS256
private key and key ID (``kid``) for JaaS-style deployments when a private key is set.
"""

import datetime
import hashlib
import re
from urllib.parse import quote

import jwt
from django import forms
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _
from pretix.base.forms import SecretKeySettingsField

from ..domain.eligibility import window
from ..domain.providers import Provider, register, validate_meeting_url
from ..domain.rules import access_rules
from .base import Participant, attendee, derived_name

WITHOUT_CLOSING = datetime.timedelta(minutes=60)
_PEM = re.compile(r"(-----BEGIN [A-Z ]+-----)(.*?)(-----END [A-Z ]+-----)", re.S)


def normalise_pem(value: str) -> str:
    """A private key pasted into a one-line field: rebuild the PEM line breaks."""
    value = value.strip().replace("\\n", "\n")
    match = _PEM.search(value)
    if not match:
        return value
    body = "".join(match.group(2).split())
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return "\n".join([match.group(1), *lines, match.group(3)]) + "\n"


def email_hash(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest() if email else ""


@register
class JitsiProvider(Provider):
    identifier = "jitsi"
    verbose_name = _("Jitsi Meet with JWT (signed per attendee)")
    settings_fields = {
        "domain": forms.CharField(
            label=_("Jitsi domain"), help_text=_("e.g. meet.example.org"), required=True, max_length=200
        ),
        "room": forms.CharField(
            label=_("Jitsi room name"),
            help_text=_("Leave empty to use one derived from organiser, event and date: stable and not guessable."),
            required=False,
            max_length=200,
        ),
        "app_id": forms.CharField(label=_("App ID (iss/aud)"), required=True, max_length=200),
        "app_secret": SecretKeySettingsField(label=_("App secret (HS256)"), required=False),
        "private_key": SecretKeySettingsField(
            label=_("RS256 private key (optional)"),
            help_text=_("PEM; if set, tokens are signed with it instead of the app secret."),
            required=False,
        ),
        "key_id": forms.CharField(label=_("Key ID (kid) of the private key"), required=False, max_length=200),
    }

    def validate(self, url: str) -> None:
        validate_meeting_url(url)

    def join_url(self, config, position) -> str:
        event = position.order.event
        return self.participant_url(config, attendee(position, window(position, access_rules(event), event)))

    def room(self, config, who: Participant) -> str:
        return (config.provider_settings.get("room") or "").strip() or derived_name("jitsi", who)

    def token(self, config, who: Participant, at=None) -> str:
        s = config.provider_settings
        at = at or now()
        opens = who.opens or at
        closes = who.closes or ((who.dated.date_to or who.dated.date_from) + WITHOUT_CLOSING)
        claims = {
            "iss": s["app_id"],
            "aud": s["app_id"],
            "sub": s["domain"].strip(),
            "room": self.room(config, who),
            "nbf": int(opens.timestamp()),
            "exp": int(closes.timestamp()),
            "iat": int(at.timestamp()),
            "context": {
                "user": {
                    "name": who.name,
                    "email": email_hash(who.email),
                    "id": who.user_id,
                    "moderator": who.moderator,
                }
            },
        }
        if (s.get("private_key") or "").strip():
            headers = {"kid": s["key_id"]} if s.get("key_id") else None
            return jwt.encode(claims, normalise_pem(s["private_key"]), algorithm="RS256", headers=headers)
        return jwt.encode(claims, s["app_secret"], algorithm="HS256")

    def participant_url(self, config, who: Participant) -> str:
        domain = config.provider_settings["domain"].strip().removeprefix("https://").strip("/")
        room = quote(self.room(config, who), safe="")
        return f"https://{domain}/{room}?jwt={self.token(config, who)}"
