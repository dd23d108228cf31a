"""The public follow form and the organiser's announcement settings."""

from django import forms
from django.utils.translation import gettext_lazy as _
from i18nfield.forms import I18nModelForm
from pretix.base.forms.validators import PlaceholderValidator

from ..compat import text_placeholder_names
from .domain import texts
from .models import FollowSettings


class FollowForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254)
    locale = forms.ChoiceField(label=_("Language"))
    consent = forms.BooleanField(required=True)

    def __init__(self, *args, locales=(), consent_text="", initial_locale=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locale"].choices = list(locales)
        if initial_locale:
            self.fields["locale"].initial = initial_locale
        self.fields["consent"].label = consent_text


def announcement_placeholders(event) -> list[str]:
    """pretix's placeholders for an event or date, plus the followers' own."""
    names = text_placeholder_names(event, ["event", "event_or_subevent"]) if event else []
    return sorted(set(names) | set(texts.ANNOUNCEMENT_PLACEHOLDERS))


class FollowSettingsForm(I18nModelForm):
    class Meta:
        model = FollowSettings
        fields = ["announce_automatically", "consent_text", "announcement_subject", "announcement_text"]

    def __init__(self, *args, placeholders=(), **kwargs):
        super().__init__(*args, **kwargs)
        allowed = [f"{{{p}}}" for p in placeholders]
        for name in ("announcement_subject", "announcement_text"):
            self.fields[name].validators.append(PlaceholderValidator(allowed))
            self.fields[name].help_text = _("Empty: the default text. Placeholders: {list}").format(
                list=", ".join(allowed)
            )
        self.fields["consent_text"].help_text = _("Empty: the default text.")
