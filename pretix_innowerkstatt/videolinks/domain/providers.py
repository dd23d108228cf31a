"""Where an attendee is sent: one small interface, one registry.

A provider turns the resolved meeting configuration and the attendee's position into the URL
the join POST redirects to. It runs at click time only, so providers that sign a URL per
attendee (BigBlueButton's checksum, a Jitsi JWT) never put a reusable URL into an email.

Adding a provider (no migration, no change elsewhere):

1. Subclass ``Provider`` with an ``identifier`` (letters, digits, ``_``) and a ``verbose_name``.
2. Declare the extra settings it needs in ``settings_fields``: ``{name: form field}``. Each is
   stored as the event setting ``innowerkstatt_video_<identifier>_<name>`` (hierarkey, text,
   default ""), shown on the *Video conference* page below the provider choice and checked
   there while the provider is chosen (``required=True`` counts then only). Use pretix's
   ``SecretKeySettingsField`` for secrets: the page shows them as ``*****`` and keeps the stored
   value when that is sent back; the log records only that they changed (``•••``).
3. Implement ``join_url(config, position)``: ``config`` is the position's ``MeetingConfig``
   (``config.join_url`` - the URL organisers enter, e.g. the meeting on the provider's server -
   and ``config.provider_settings``, the declared settings by name); ``position`` is the ticket
   with ``order``, ``item`` and ``subevent`` loaded (``_attendee_values`` has name, email and
   order code). Return the absolute http(s) URL to redirect to. Implement ``validate(url)`` if
   the URL has rules beyond ``validate_meeting_url``.
4. Decorate the class with ``@register`` in a module that is imported at start-up (this one,
   or one imported from ``videolinks/signals.py``). It then appears in the *Meeting service*
   choice.

For example, a BigBlueButton provider would declare ``{"secret": SecretKeySettingsField(...)}``
and build ``.../api/join?fullName=…&meetingID=…&role=VIEWER&checksum=sha1(call + query + secret)``.
"""

import abc
import string
from urllib.parse import quote, urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _
from pretix.base.forms import SecretKeySettingsField
from pretix.base.settings import settings_hierarkey

from ..settings import PREFIX

ALLOWED_SCHEMES = ("http", "https")
URL_TEMPLATE_FIELDS = ("attendee_name", "attendee_email", "order_code")
_SAMPLE_VALUES = {"attendee_name": "Ada Lovelace", "attendee_email": "ada@example.org", "order_code": "ABC12"}

registry = {}


def register(cls):
    provider = cls()
    registry[cls.identifier] = provider
    for name in provider.settings_fields:
        settings_hierarkey.add_default(provider.setting_name(name), "", str)
    return cls


def get_provider(identifier):
    return registry.get(identifier) or registry[GenericUrlProvider.identifier]


def provider_choices():
    return [(p.identifier, p.verbose_name) for p in registry.values()]


def secret_setting_names():
    """The settings of all providers that must never be logged in clear."""
    return {
        p.setting_name(name)
        for p in registry.values()
        for name, form_field in p.settings_fields.items()
        if isinstance(form_field, SecretKeySettingsField)
    }


class Provider(abc.ABC):
    identifier = None
    verbose_name = None
    # {name: django form field}: the extra settings this provider needs (see the module docstring).
    settings_fields = {}

    def setting_name(self, name: str) -> str:
        return f"{PREFIX}{self.identifier}_{name}"

    def read_settings(self, settings) -> dict:
        """The declared settings' values from an event's settings (no query: hierarkey's cache)."""
        return {name: settings.get(self.setting_name(name)) or "" for name in self.settings_fields}

    @abc.abstractmethod
    def join_url(self, config, position) -> str:
        """The URL this attendee is redirected to; ``config`` is a ``MeetingConfig``."""

    def validate(self, url: str) -> None:
        """Raise ``ValidationError`` if ``url`` is not acceptable for this provider."""
        validate_meeting_url(url)


def _template_fields(url: str):
    try:
        parsed = [(name, spec, conv) for _text, name, spec, conv in string.Formatter().parse(url) if name is not None]
    except ValueError:
        raise ValidationError(_("The URL contains an unbalanced “{” or “}”."), code="template")
    # "{order_code!r}" or "{order_code:>9}" would not be URL-safe: names only.
    return [name if not (spec or conv) else f"{name}:{spec}" for name, spec, conv in parsed]


def validate_meeting_url(url: str) -> None:
    """Only absolute http(s) URLs; ``javascript:``, ``data:`` and everything else are refused."""
    url = (url or "").strip()
    fields = _template_fields(url)
    unknown = sorted(set(fields) - set(URL_TEMPLATE_FIELDS))
    if unknown:
        raise ValidationError(
            _("Unknown placeholder in the URL: %(names)s. Allowed: %(allowed)s."),
            params={
                "names": ", ".join(f"{{{n}}}" for n in unknown),
                "allowed": ", ".join(f"{{{n}}}" for n in URL_TEMPLATE_FIELDS),
            },
            code="template",
        )
    sample = url.format(**{k: quote(v, safe="") for k, v in _SAMPLE_VALUES.items()})
    scheme = urlsplit(sample).scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise ValidationError(
            _("Only http:// and https:// addresses can be used as meeting URLs (not “%(scheme)s:”)."),
            params={"scheme": scheme or "?"},
            code="scheme",
        )
    try:
        URLValidator(schemes=ALLOWED_SCHEMES)(sample)
    except ValidationError:
        raise ValidationError(_("Please enter a complete meeting URL, e.g. https://meet.jit.si/…"), code="invalid")


def _attendee_values(position):
    order = position.order
    return {
        "attendee_name": position.attendee_name or "",
        "attendee_email": position.attendee_email or order.email or "",
        "order_code": order.code,
    }


@register
class GenericUrlProvider(Provider):
    """Any meeting service with a join URL: Zoom, BigBlueButton (guest link), Jitsi, Webex, Teams, OpenTalk…"""

    identifier = "generic"
    verbose_name = _("Generic meeting URL (Zoom, BigBlueButton, Jitsi, Webex, Teams, OpenTalk, …)")
    settings_fields = {
        # Where host links lead (e.g. a Zoom start link); empty: the meeting URL.
        "host_url": SecretKeySettingsField(
            label=_("Host URL (optional)"),
            help_text=_("Where the hosts' personal links lead, e.g. a Zoom start link. Empty: the meeting URL."),
            required=False,
        ),
    }

    def validate(self, url: str) -> None:
        validate_meeting_url(url)

    def join_url(self, config, position) -> str:
        url = config.join_url.strip()
        if "{" in url:
            url = url.format(**{k: quote(v, safe="") for k, v in _attendee_values(position).items()})
        # Checked again at click time: a value stored before validation existed must not slip through.
        if urlsplit(url).scheme.lower() not in ALLOWED_SCHEMES:
            raise ValueError("meeting URL with a forbidden scheme")
        return url
