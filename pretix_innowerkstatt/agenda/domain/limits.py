"""How long the agenda's texts may be: the one place that says so.

The model fields carry these limits (``limited``: ``max_length`` and ``I18nMaxLengthValidator``), so the
editor's forms (per language field, and again when the model is cleaned), the REST API (the
serializer takes the model field's validators) and the schedule import (which runs the model
field's validators on what it would store) refuse the same texts with the same message.
Multilingual texts are limited per language.
"""

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from i18nfield.strings import LazyI18nString

from .speaker_links import LABEL_MAX_LENGTH as LINK_LABEL  # noqa: F401  (links: one rule in speaker_links)
from .speaker_links import URL_MAX_LENGTH as LINK_URL  # noqa: F401

TITLE = 200  # agenda item title, per language
ROOM = 200  # room or breakout, per language
DESCRIPTION = 20_000  # agenda item description (Markdown), per language
NAME = 200  # speaker name
ROLE = 300  # speaker's role and affiliation line, per language
BIOGRAPHY = 10_000  # speaker biography (Markdown), per language


@deconstructible
class I18nMaxLengthValidator:
    """Each language of a text (``LazyI18nString``, dict or plain string) has at most ``limit`` characters."""

    def __init__(self, limit: int):
        self.limit = limit

    def __call__(self, value):
        data = value.data if isinstance(value, LazyI18nString) else value
        texts = data.items() if isinstance(data, dict) else [("", data)]
        for language, text in texts:
            length = len(text) if isinstance(text, str) else 0
            if length > self.limit:
                raise ValidationError(
                    _("Please shorten this text to at most %(limit)s characters (it has %(length)s)%(language)s."),
                    code="max_length",
                    params={"limit": self.limit, "length": length, "language": f" [{language}]" if language else ""},
                )

    def __eq__(self, other):
        return isinstance(other, I18nMaxLengthValidator) and other.limit == self.limit


def limited(limit: int) -> dict:
    """Options of a model text field of at most ``limit`` characters per language.

    ``max_length`` gives each language field of the form its limit (and the browser's
    ``maxlength``); the validator checks every language wherever the model is validated.
    """
    return {"max_length": limit, "validators": [I18nMaxLengthValidator(limit)]}
