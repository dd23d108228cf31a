"""Where an attendee is sent: one small interface, one registry.

A provider turns the resolved meeting configuration and the attendee's position into the URL
the join POST redirects to. It runs at click time only, so providers that sign a URL per
attendee (BigBlueButton's checksum, a Jitsi JWT) never put a reusable URL into an email.

Adding a provider: subclass ``Provider``, give it an ``identifier`` and ``verbose_name``,
implement ``join_url`` (and ``validate`` if its configuration has rules), and decorate the class
with ``@register``. It then appears in the settings form's provider choice.
"""

import string
from urllib.parse import quote, urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

ALLOWED_SCHEMES = ("http", "https")
URL_TEMPLATE_FIELDS = ("attendee_name", "attendee_email", "order_code")
_SAMPLE_VALUES = {"attendee_name": "Ada Lovelace", "attendee_email": "ada@example.org", "order_code": "ABC12"}

registry = {}


def register(cls):
    registry[cls.identifier] = cls()
    return cls


def get_provider(identifier):
    return registry.get(identifier) or registry[GenericUrlProvider.identifier]


def provider_choices():
    return [(p.identifier, p.verbose_name) for p in registry.values()]


class Provider:
    identifier = None
    verbose_name = None

    def join_url(self, config, position) -> str:
        """The URL this attendee is redirected to; ``config`` is a ``MeetingConfig``."""
        raise NotImplementedError

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

    def join_url(self, config, position) -> str:
        url = config.join_url.strip()
        if "{" in url:
            url = url.format(**{k: quote(v, safe="") for k, v in _attendee_values(position).items()})
        # Checked again at click time: a value stored before validation existed must not slip through.
        if urlsplit(url).scheme.lower() not in ALLOWED_SCHEMES:
            raise ValueError("meeting URL with a forbidden scheme")
        return url
