import copy

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from i18nfield.forms import I18nForm, I18nFormField
from pretix.base.forms import SECRET_REDACTED, I18nMarkdownTextarea, I18nModelForm

from ..compat import label_without_optional_hint
from . import settings as names
from .domain.config import MEETING_FIELDS, access_rules, event_meeting, masked
from .domain.editing import check_details_target, date_details, set_date_url
from .domain.providers import get_provider, provider_choices, registry, validate_meeting_url
from .models import VideoConferenceConfig
from .notices import offer_access_update

URL_HELP = _(
    "The meeting's own join link (Zoom, BigBlueButton, Jitsi, Webex, Teams, OpenTalk, …). Attendees never see "
    "it in emails or on public pages: they get a personal link that checks their ticket first. You may use "
    "{attendee_name}, {attendee_email} and {order_code}; each is URL-encoded."
)


class MeetingUrlField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 2000)
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": "https://meet.jit.si/…"}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value).strip()
        if value:
            validate_meeting_url(value)
        return value


class VideoSettingsForm(I18nForm):
    """The event's video settings; stored as hierarkey settings via ``editing.save_event_settings``."""

    require_url = forms.BooleanField(
        label=_("Attendees join online: a meeting URL is required"),
        required=False,
        help_text=_(
            "Tick this for an online event: the shop cannot go live while no meeting URL is set. Leave it "
            "unticked for an event that uses only the agenda. Personal join links are sent whenever a meeting "
            "URL is set."
        ),
    )
    join_url = MeetingUrlField(label=_("Meeting join URL"), help_text=URL_HELP)
    provider = forms.ChoiceField(label=_("Meeting service"), choices=provider_choices, initial="generic")
    meeting_id = forms.CharField(label=_("Meeting ID"), required=False, max_length=190)
    passcode = forms.CharField(
        label=_("Passcode"),
        required=False,
        max_length=190,
        help_text=_("Shown only to attendees who may join, on their join page while it is open."),
    )
    dial_in = forms.CharField(
        label=_("Phone dial-in"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One number per line, e.g. “+49 30 1234567 (Berlin)”."),
    )
    instructions = I18nFormField(
        label=_("Instructions for attendees"),
        required=False,
        widget=I18nMarkdownTextarea,
        help_text=_("Shown on the join page and in emails. You can use Markdown."),
    )
    allow_pending = forms.BooleanField(
        label=_("Pending (unpaid) orders may join"),
        required=False,
        help_text=_("Paid and free orders always may; orders that need approval only once approved."),
    )
    products = forms.ModelMultipleChoiceField(
        label=_("Products with access"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave everything unticked to give access with every admission product."),
    )
    opens_minutes_before = forms.IntegerField(
        label=_("Join button opens (minutes before the start)"),
        min_value=0,
        max_value=7 * 24 * 60,
        initial=names.DEFAULT_OPENS_MINUTES_BEFORE,
    )
    closes_minutes_after = forms.IntegerField(
        label=_("Join button closes (minutes after the end)"),
        min_value=0,
        max_value=7 * 24 * 60,
        required=False,
        initial=names.DEFAULT_CLOSES_MINUTES_AFTER,
        help_text=_(
            "Personal links stop working then, so a ticket or a forwarded link of this date cannot be used for "
            "a later one. Empty: 60 minutes. At most 10080 minutes (one week)."
        ),
    )

    def __init__(self, *args, event, **kwargs):
        self.event = event
        meeting = event_meeting(event)
        rules = access_rules(event)
        kwargs["locales"] = event.settings.get("locales")
        # What is stored is shown; Django's FormView passes an (empty) initial of its own.
        kwargs["initial"] = {
            **{
                "require_url": event.settings.get(names.REQUIRE_URL, as_type=bool),
                "join_url": meeting.join_url,
                "provider": meeting.provider,
                "meeting_id": meeting.meeting_id,
                "passcode": meeting.passcode,
                "dial_in": meeting.dial_in,
                "instructions": meeting.instructions,
                "allow_pending": rules.allow_pending,
                "products": sorted(rules.product_ids),
                "opens_minutes_before": rules.opens_minutes_before,
                "closes_minutes_after": rules.closes_minutes_after,
            },
            **(kwargs.get("initial") or {}),
        }
        super().__init__(*args, **kwargs)
        # The page's purpose, though an agenda-only event leaves it empty: not marked "Optional".
        label_without_optional_hint(self.fields["join_url"])
        self.fields["products"].queryset = event.items.all()
        self._add_provider_fields()

    def _add_provider_fields(self):
        """Each provider's declared settings (``Provider.settings_fields``), as ``<identifier>_<name>``."""
        self.provider_field_names = {}  # form field name -> (provider, setting name)
        for provider in registry.values():
            for name, declared in provider.settings_fields.items():
                form_name = f"{provider.identifier}_{name}"
                form_field = copy.deepcopy(declared)
                # Required only while the provider is chosen: checked in clean().
                form_field.required = False
                self.fields[form_name] = form_field
                self.initial.setdefault(form_name, self.event.settings.get(provider.setting_name(name)) or "")
                self.provider_field_names[form_name] = (provider, name)

    def provider_fieldsets(self):
        """``[(provider, [bound fields])]`` for the template, in the order of the provider choice."""
        groups = {}
        for form_name, (provider, _name) in self.provider_field_names.items():
            groups.setdefault(provider, []).append(self[form_name])
        return list(groups.items())

    def clean(self):
        data = super().clean()
        chosen = data.get("provider")
        for form_name, (provider, name) in self.provider_field_names.items():
            if data.get(form_name) == SECRET_REDACTED:  # shown masked and sent back unchanged
                data[form_name] = self.initial.get(form_name, "")
            if provider.identifier == chosen and provider.settings_fields[name].required and not data.get(form_name):
                self.add_error(form_name, _("This field is required for the chosen meeting service."))
        if data.get("join_url"):
            try:
                get_provider(chosen).validate(data["join_url"])
            except ValidationError as e:
                self.add_error("join_url", e)
        return data

    def settings_values(self):
        d = self.cleaned_data
        return dict(
            require_url=d["require_url"],
            url=d["join_url"],
            provider=d["provider"],
            meeting_id=d["meeting_id"].strip(),
            passcode=d["passcode"].strip(),
            dial_in=d["dial_in"].strip(),
            instructions=d["instructions"].data if d["instructions"] else "",
            allow_pending=d["allow_pending"],
            products=[i.pk for i in d["products"]],
            opens_minutes_before=d["opens_minutes_before"],
            closes_minutes_after=(
                names.DEFAULT_CLOSES_MINUTES_AFTER if d["closes_minutes_after"] is None else d["closes_minutes_after"]
            ),
            provider_settings={
                provider.setting_name(name): (d.get(form_name) or "").strip()
                for form_name, (provider, name) in self.provider_field_names.items()
            },
        )


class VideoConferenceConfigForm(I18nModelForm):
    """Meeting details for one date and/or product; empty fields keep the event's."""

    join_url = MeetingUrlField(label=_("Meeting join URL"), help_text=URL_HELP)
    # Querysets are set per event in __init__ (scoped managers refuse to run at import time).
    subevent = forms.ModelChoiceField(queryset=None, required=False, label=_("Date"))
    item = forms.ModelChoiceField(queryset=None, required=False, label=_("Product"))

    class Meta:
        model = VideoConferenceConfig
        fields = ["subevent", "item", "join_url", "meeting_id", "passcode", "dial_in", "instructions"]
        widgets = {
            "dial_in": forms.Textarea(attrs={"rows": 3}),
            "instructions": I18nMarkdownTextarea,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subevent"].queryset = self.event.subevents.all()
        self.fields["item"].queryset = self.event.items.all()
        if not self.event.has_subevents:
            del self.fields["subevent"]
        for name in ("meeting_id", "passcode", "dial_in", "instructions"):
            self.fields[name].help_text = _("Leave empty to use the event's setting.")

    def clean(self):
        data = super().clean()
        check_details_target(self.event, data.get("subevent"), data.get("item"), self.instance)
        return data

    def meeting_values(self):
        """The details to store with ``editing.save_meeting_details`` (the form itself never saves)."""
        return {name: self.cleaned_data[name] for name in MEETING_FIELDS}


class SubEventVideoForm(forms.Form):
    """The date's own meeting URL, on pretix's date form (``subevent_forms``, also bulk creation)."""

    title = _("Video conference")
    join_url = MeetingUrlField(
        label=_("Meeting join URL for this date"),
        help_text=_("Leave empty to use the event's meeting URL. Attendees always get their personal link."),
    )

    def __init__(self, *args, event, subevent=None, copy_from=None, user=None, request=None, **kwargs):
        self.event = event
        self.subevent = subevent
        self.user = user
        self.request = request
        self.is_new_date = subevent is None or not subevent.pk
        # On creation pretix passes the new date unsaved (no pk yet): its details come from the
        # date it is copied from, if any.
        row = date_details(subevent) or date_details(copy_from)
        kwargs["initial"] = {"join_url": row.join_url if row else "", **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        # pretix logs its date form together with the plugin forms' cleaned data ("pretix.subevent.
        # added"/"changed"): there the URL appears masked, like in the plugin's own log entries.
        self.meeting_url = data.get("join_url", "")
        data["join_url"] = masked(self.meeting_url)
        return data

    def save(self):
        """Called once per date (pretix sets ``self.subevent`` before, also in bulk creation)."""
        saved = set_date_url(self.subevent, self.meeting_url, user=self.user)
        if saved.access_changed and not self.is_new_date and self.request is not None:
            offer_access_update(self.request)  # attendees of this date were told the old details
