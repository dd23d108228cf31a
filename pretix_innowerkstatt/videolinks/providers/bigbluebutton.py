"""BigBlueButton: ``create`` the meeting (once), then redirect to a signed ``join`` URL.

Checksums follow the BBB API documentation: the hex digest of call name + query string +
shared secret, with SHA-1, SHA-256 (default) or SHA-512. ``create`` is idempotent on the BBB
side; a successful one is remembered in the cache (and in the worker) so that the burst at the
start of an event makes at most one call per meeting and worker. A server that does not answer
within ``TIMEOUT`` seconds raises ``ProviderUnavailable`` (the join page answers 503) and is
remembered as down for ``DOWN_SECONDS``, so that a burst does not queue up on it.
"""

import hashlib
import logging
import time
from urllib.parse import urlencode
from xml.etree import ElementTree

import requests
from django import forms
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from pretix.base.forms import SecretKeySettingsField

from ..domain.eligibility import window
from ..domain.providers import Provider, register, validate_meeting_url
from ..domain.rules import access_rules
from .base import Participant, ProviderUnavailable, attendee, derived_name

logger = logging.getLogger("pretix_innowerkstatt.videolinks")

ALGORITHMS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "sha512": hashlib.sha512}
DEFAULT_ALGORITHM = "sha256"
TIMEOUT = 3  # seconds: the attendee waits for this at most
# BBB ends an empty meeting a minute after the last person left; a join then needs a new create.
# Remembering a create for a few minutes keeps the burst at one call and a later join working.
CREATED_SECONDS = 300
DOWN_SECONDS = 10

_created_here = {}  # this worker's memory of creates: {cache key: until (monotonic)}


def checksum(call: str, query: str, secret: str, algorithm: str = DEFAULT_ALGORITHM) -> str:
    """The BBB checksum: algorithm(call name + query string + shared secret), hex."""
    digest = ALGORITHMS.get(algorithm or DEFAULT_ALGORITHM, hashlib.sha256)
    return digest((call + query + secret).encode()).hexdigest()


def api_base(api_url: str) -> str:
    """``https://bbb.example.org/bigbluebutton/`` (or …/api/) -> ``…/bigbluebutton/api/``."""
    base = api_url.strip().rstrip("/")
    if not base.endswith("/api"):
        base += "/api"
    return base + "/"


def signed_url(api_url: str, call: str, params: dict, secret: str, algorithm: str) -> str:
    query = urlencode(params)  # spaces as "+", like BBB's own clients (Java's URLEncoder)
    sep = "&" if query else ""
    return f"{api_base(api_url)}{call}?{query}{sep}checksum={checksum(call, query, secret, algorithm)}"


@register
class BigBlueButtonProvider(Provider):
    identifier = "bigbluebutton"
    verbose_name = _("BigBlueButton (signed per attendee)")
    settings_fields = {
        "api_url": forms.URLField(
            label=_("BigBlueButton API URL"),
            help_text=_("The server's API address, e.g. https://bbb.example.org/bigbluebutton/"),
            required=True,
        ),
        "shared_secret": SecretKeySettingsField(
            label=_("BigBlueButton shared secret"),
            help_text=_("Shown by “bbb-conf --secret” on the server."),
            required=True,
        ),
        "checksum_algorithm": forms.ChoiceField(
            label=_("Checksum algorithm"),
            # "" (nothing stored) is SHA-256: an unchanged save stores nothing.
            choices=[("", "SHA-256"), ("sha1", "SHA-1"), ("sha512", "SHA-512")],
            required=False,
        ),
        "meeting_id": forms.CharField(
            label=_("BigBlueButton meeting ID"),
            help_text=_("Leave empty to use one derived from organiser, event and date: stable and not guessable."),
            required=False,
            max_length=100,
        ),
        "welcome": forms.CharField(
            label=_("Welcome text in the meeting"), widget=forms.Textarea(attrs={"rows": 2}), required=False
        ),
        "record": forms.ChoiceField(
            label=_("Recording"),
            choices=[("", _("Off")), ("on", _("Allowed (the moderator starts it)"))],
            required=False,
        ),
    }

    def validate(self, url: str) -> None:
        validate_meeting_url(url)

    def join_url(self, config, position) -> str:
        event = position.order.event
        return self.participant_url(config, attendee(position, window(position, access_rules(event), event)))

    def participant_url(self, config, who: Participant) -> str:
        s = config.provider_settings
        meeting_id = (s.get("meeting_id") or "").strip() or derived_name("bbb", who)
        self.ensure_meeting(s, meeting_id, who)
        params = {
            "fullName": who.name,
            "meetingID": meeting_id,
            "role": "MODERATOR" if who.moderator else "VIEWER",
            "userID": who.user_id,
            "redirect": "true",
        }
        return signed_url(s["api_url"], "join", params, s["shared_secret"], s.get("checksum_algorithm"))

    def create_params(self, settings, meeting_id, who: Participant) -> dict:
        event = who.event
        params = {
            "name": str(who.dated.name)[:200],
            "meetingID": meeting_id,
            "record": "true" if settings.get("record") == "on" else "false",
            "meta_innowerkstatt-organizer": event.organizer.slug,
            "meta_innowerkstatt-event": event.slug,
        }
        if who.dated is not event:
            params["meta_innowerkstatt-date"] = str(who.dated.pk)
        if (settings.get("welcome") or "").strip():
            params["welcome"] = settings["welcome"].strip()
        return params

    def ensure_meeting(self, settings, meeting_id, who: Participant) -> None:
        """``create`` unless this worker or the cache knows it was created recently."""
        key = "innowerkstatt:bbb:" + hashlib.sha256(f"{settings['api_url']}|{meeting_id}".encode()).hexdigest()
        if _created_here.get(key, 0) > time.monotonic():
            return
        down_key = "innowerkstatt:bbb-down:" + hashlib.sha256(settings["api_url"].encode()).hexdigest()
        try:
            known = cache.get_many([key, down_key])
        except Exception:  # a cache outage must not keep anybody out: ask BBB
            known = {}
        if known.get(key):
            _created_here[key] = time.monotonic() + CREATED_SECONDS
            return
        if known.get(down_key):
            raise ProviderUnavailable("BigBlueButton server recently unreachable")
        url = signed_url(
            settings["api_url"],
            "create",
            self.create_params(settings, meeting_id, who),
            settings["shared_secret"],
            settings.get("checksum_algorithm"),
        )
        try:
            response = requests.get(url, timeout=TIMEOUT)
            root = ElementTree.fromstring(response.content)
            code = root.findtext("returncode")
            message_key = root.findtext("messageKey") or ""
        except Exception as e:  # timeouts, refused connections, pretix's block of private addresses, no XML
            # The URL carries the checksum: log the server's address and the kind of error only.
            logger.warning(
                "BigBlueButton server %s not reachable for create: %s", api_base(settings["api_url"]), type(e).__name__
            )
            _safe_set(down_key, True, DOWN_SECONDS)
            raise ProviderUnavailable(str(type(e).__name__))
        if code != "SUCCESS" and message_key != "idNotUnique":
            logger.warning(
                "BigBlueButton server %s refused create: %s", api_base(settings["api_url"]), message_key or "no answer"
            )
            raise ProviderUnavailable(message_key)
        _created_here[key] = time.monotonic() + CREATED_SECONDS
        _safe_set(key, True, CREATED_SECONDS)


def _safe_set(key, value, timeout):
    try:
        cache.set(key, value, timeout)
    except Exception:
        pass
