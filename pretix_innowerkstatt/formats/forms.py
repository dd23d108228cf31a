import datetime
import re
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dates import WEEKDAYS
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes.forms import SafeModelChoiceField
from pretix.base.forms import I18nModelForm
from pretix.base.forms.widgets import DatePickerWidget, TimePickerWidget
from pretix.base.models import Event, SubEvent

from ..compat import picker_without_seconds
from . import permissions
from .domain import creation, planning
from .domain.errors import FormatError
from .domain.exclusions import school_holidays_available
from .domain.rules import KIND_MONTHDAY, KIND_WEEKDAY
from .models import EDITABLE_FIELDS, Format

_BLOCKED_LINE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4})\s*(.*)$")


class BlockedDatesField(forms.CharField):
    """One blocked date per line, ISO or German: ``2026-12-24 Heiligabend`` or ``24.12.2026 Heiligabend``."""

    widget = forms.Textarea(attrs={"rows": 4, "placeholder": "2027-05-26 Klausurtagung"})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(f"{e['date']} {e.get('reason', '')}".strip() for e in value)
        return value

    def to_python(self, value):
        entries = []
        for number, line in enumerate((value or "").splitlines(), start=1):
            if not line.strip():
                continue
            match = _BLOCKED_LINE.match(line)
            try:
                if not match:
                    raise ValueError
                text = match.group(1)
                if "." in text:
                    day = datetime.datetime.strptime(text, "%d.%m.%Y").date()
                else:
                    day = datetime.date.fromisoformat(text)
            except ValueError:
                raise ValidationError(
                    _("Line %(number)s: write a date like 2027-05-26 or 26.05.2027, then an optional reason."),
                    params={"number": number},
                )
            entries.append({"date": day.isoformat(), "reason": match.group(2).strip()})
        return sorted(entries, key=lambda e: e["date"])


def _local_start_end(event):
    timezone = ZoneInfo(event.settings.timezone)
    start = event.date_from.astimezone(timezone)
    end = event.date_to.astimezone(timezone) if event.date_to else None
    return start, end


class TemplateEventSelect(forms.Select):
    """Each template event's local start and end time and weekday ride along on its option, so the
    form's script can fill in the rule's times from the chosen event."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        event = getattr(value, "instance", None)
        if event is not None:
            start, end = _local_start_end(event)
            option["attrs"].update(
                {
                    "data-start": start.strftime("%H:%M"),
                    "data-end": end.strftime("%H:%M") if end else "",
                    "data-weekday": start.weekday(),
                }
            )
        return option


def _template_event_label(event):
    start, _end = _local_start_end(event)
    return f"{event.name} ({date_format(start, 'SHORT_DATE_FORMAT')})"


class FormatForm(I18nModelForm):
    # Fields that only matter for some rule kinds or modes: the form's script hides the others
    # (without script, all are shown and the unused ones are ignored).
    SHOWN_ONLY_FOR = {
        "ordinal": {"rule_kind": [KIND_WEEKDAY]},
        "weekday": {"rule_kind": [KIND_WEEKDAY]},
        "day": {"rule_kind": [KIND_MONTHDAY]},
        "month": {"rule_kind": [KIND_WEEKDAY, KIND_MONTHDAY]},
        "template_subevent": {"mode": [planning.MODE_DATES]},
        "copy_agenda": {"mode": [planning.MODE_DATES]},
        "slug_pattern": {"mode": [planning.MODE_EVENTS]},
    }

    blocked_dates = BlockedDatesField(
        required=False,
        label=_("Blocked dates"),
        help_text=_("One date per line, optionally followed by the reason, e.g. “2027-05-26 Klausurtagung”."),
    )

    class Meta:
        model = Format
        fields = EDITABLE_FIELDS
        field_classes = {"template_event": SafeModelChoiceField, "template_subevent": SafeModelChoiceField}
        widgets = {
            "mode": forms.RadioSelect,
            "rule_kind": forms.RadioSelect,
            "on_hit": forms.RadioSelect,
            "weekday": forms.Select(choices=sorted(WEEKDAYS.items())),
            "template_event": TemplateEventSelect,
            "start_time": picker_without_seconds(TimePickerWidget),
            "end_time": picker_without_seconds(TimePickerWidget),
            "until": DatePickerWidget(),
        }

    def __init__(self, *args, organizer, request=None, **kwargs):
        self.organizer = organizer
        kwargs.setdefault("locales", self._locales(organizer, kwargs.get("instance")))
        super().__init__(*args, **kwargs)
        self.request = request
        events = Event.objects.filter(organizer=organizer)
        if request is not None:
            events = events.filter(
                pk__in=permissions.accessible_events(organizer, request.user, request=request).values("pk")
            )
        self.fields["template_event"].queryset = events.order_by("-date_from")
        self.fields["template_event"].required = True
        self.fields["template_event"].label_from_instance = _template_event_label
        for name in ("start_time", "end_time"):
            self.fields[name].widget.format = "%H:%M"
        self.fields["template_subevent"].queryset = (
            SubEvent.objects.filter(event__in=events, event__has_subevents=True)
            .select_related("event")
            .order_by("event__name", "-date_from")
        )
        self.fields["template_subevent"].label_from_instance = lambda se: f"{se.event.name} – {se}"
        self.fields["name_pattern"].help_text = _(
            "Placeholders: {name} (the format's name), {year}, {quarter} (Q3), {q} (3), {month} (08), "
            "{label} (Q3/2026)."
        )
        self.fields["slug_pattern"].help_text = _(
            "Only for separate events. Placeholders as for the name, plus {slug} (the format's short form), "
            "e.g. “{slug}-{year}-q{q}” gives “innowerkstatt-2026-q3”."
        )
        if not school_holidays_available():
            self.fields["school_holidays"].disabled = True
            self.fields["school_holidays"].help_text = _(
                "The installed holiday data has no German school holidays, so they cannot be excluded."
            )
        else:
            self.fields["school_holidays"].help_text = _(
                "School holidays are only published a few years ahead; dates beyond the known data are marked "
                "in the preview."
            )
        self.fields["first_year"].initial = datetime.date.today().year

    # How many of the organiser's latest events lend their languages to a new format's texts.
    LANGUAGES_FROM_EVENTS = 50

    @classmethod
    def _locales(cls, organizer, instance) -> list:
        """The organiser's languages, those of its events (the latest ones), the template's and every
        language already stored in the format.

        The format's name and name pattern become event names, so they offer the events' languages
        even where the organiser's own settings list fewer. Names are kept per language; a language
        the form did not show would be erased on saving.
        """
        locales = list(organizer.settings.get("locales") or [])
        for event in organizer.events.order_by("-date_from")[: cls.LANGUAGES_FROM_EVENTS]:
            locales += event.settings.get("locales") or []
        if instance is not None and instance.pk:
            if instance.template_event_id:
                locales += instance.template_event.settings.get("locales") or []
            for value in (instance.name, instance.name_pattern):
                data = getattr(value, "data", value)
                if isinstance(data, dict):
                    locales += [language for language, text in data.items() if text]
        return list(dict.fromkeys(locales))

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        clash = Format.objects.filter(organizer=self.organizer, slug=slug).exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(_("Another format already uses this short form."))
        return slug

    def clean(self):
        data = super().clean()
        if data.get("mode") == planning.MODE_EVENTS:
            data["template_subevent"] = None
        return data

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        self.instance.organizer = self.organizer
        try:
            creation.validate_format(self.instance)
        except FormatError as error:
            self.add_error(None, error.message)
            return
        if self.request is None:
            return
        try:
            permissions.check_may_create_editions(self.instance, self.request.user, request=self.request)
        except FormatError as error:
            self.add_error("template_event", error.message)
        try:
            permissions.check_may_publish(self.instance, self.request.user, request=self.request)
        except FormatError as error:
            self.add_error("publish", error.message)


class ExtendForm(forms.Form):
    """ "Plan the next N periods": the preview shows them, the create button creates them."""

    extend = forms.IntegerField(
        min_value=0,
        max_value=creation.MAX_EXTEND,
        required=False,
        initial=4,
        label=pgettext_lazy("formats", "Plan further periods"),
        help_text=_("Quarters for a quarterly format, months for a monthly one."),
    )
