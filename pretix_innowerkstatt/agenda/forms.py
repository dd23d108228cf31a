"""Backend forms: the agenda editor (items with their speakers), its actions, the speaker directory."""

import datetime
import os
from io import BytesIO

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.forms import inlineformset_factory, modelformset_factory
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField
from pretix.base.forms import I18nFormSet, I18nMarkdownTextarea, I18nModelForm, SettingsForm
from pretix.control.forms import ExtFileField, SplitDateTimeField

from ..compat import date_time_picker_without_seconds, locales_of_events
from .domain.speaker_links import URL_MAX_LENGTH, clean_link
from .models import AgendaItem, AgendaItemSpeaker, Speaker
from .settings import POSITION_CHOICES

PHOTO_MAX_SIZE = 5 * 1024 * 1024
# What a photo may be, judged by its content (Pillow), never by its name.
PHOTO_FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif"}
HTTP_URL = URLValidator(schemes=["http", "https"], message=_("Please enter a web address starting with https://."))


class AgendaItemForm(I18nModelForm):
    duration = forms.IntegerField(
        label=_("or duration (minutes)"),
        required=False,
        min_value=1,
        max_value=24 * 60,
        help_text=_("Sets the end: start plus this many minutes."),
    )
    move_following = forms.BooleanField(
        label=_("Move the following items too"),
        required=False,
        help_text=_("By as much as this item's end moves, or by the length of a new item inserted before them."),
    )

    class Meta:
        model = AgendaItem
        fields = ["start", "end", "kind", "title", "room", "description"]
        field_classes = {"start": SplitDateTimeField, "end": SplitDateTimeField}
        widgets = {
            "start": date_time_picker_without_seconds(),
            "end": date_time_picker_without_seconds(),
            "description": I18nMarkdownTextarea,
        }

    def __init__(self, *args, **kwargs):
        self.organizer = kwargs.pop("organizer")
        super().__init__(*args, **kwargs)
        self.fields["description"].help_text = ""  # the Markdown widget says so itself
        if self.instance.pk and self.instance.end:
            # Shown as derived from start and end; only a changed duration sets a new end.
            self.initial["duration"] = minutes_between(self.instance.start, self.instance.end)
        prefix = f"{self.prefix}-speakers"
        self.speaker_formset = SpeakerLinkFormSet(
            data=self.data if self.is_bound else None,
            instance=self.instance,
            prefix=prefix,
            form_kwargs={"organizer": self.organizer},
        )

    def clean(self):
        data = super().clean()
        start, end, duration = data.get("start"), data.get("end"), data.get("duration")
        # Whichever of end and duration the organiser changed decides; a browser with scripts keeps
        # both in step, so both changed agree. Only two changed values that disagree are refused.
        if start and duration and "duration" in self.changed_data:
            by_duration = start + datetime.timedelta(minutes=duration)
            if end and end != by_duration and "end" in self.changed_data:
                raise ValidationError(_("Please give either an end time or a duration, not both."))
            data["end"] = self.instance.end = by_duration
        if start and data.get("end") and data["end"] < start:
            self.add_error("end", _("The end of an agenda item cannot be before its start."))
        return data

    def has_changed(self):
        return super().has_changed() or self.speaker_formset.has_changed()

    def is_valid(self):
        # An untouched extra row is skipped, with its (empty) speaker rows.
        valid = super().is_valid()
        if self.empty_permitted and not self.has_changed():
            return valid
        return self.speaker_formset.is_valid() and valid


def minutes_between(start, end) -> int:
    return int((end - start).total_seconds() // 60)


class SpeakerLinkForm(forms.ModelForm):
    class Meta:
        model = AgendaItemSpeaker
        fields = ["speaker", "role"]
        field_classes = {"speaker": SafeModelChoiceField}

    def __init__(self, *args, **kwargs):
        organizer = kwargs.pop("organizer")
        super().__init__(*args, **kwargs)
        # Only the organiser's own directory: another organiser's speaker id is refused as invalid.
        self.fields["speaker"].queryset = Speaker.objects.filter(organizer=organizer)
        self.fields["speaker"].label = _("Person")


class BaseSpeakerLinkFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not getattr(form, "cleaned_data", None) or form.cleaned_data.get("DELETE"):
                continue
            speaker = form.cleaned_data.get("speaker")
            if speaker and speaker.pk in seen:
                raise ValidationError(_("Each person can appear only once per agenda item."))
            if speaker:
                seen.add(speaker.pk)

    def links(self) -> list:
        """The item's people in order, as ``editing.set_speakers`` takes them (after ``is_valid``)."""
        return [
            {"speaker": form.cleaned_data["speaker"], "role": form.cleaned_data.get("role")}
            for form in self.forms
            if form not in self.deleted_forms and form.cleaned_data.get("speaker")
        ]


SpeakerLinkFormSet = inlineformset_factory(
    AgendaItem,
    AgendaItemSpeaker,
    form=SpeakerLinkForm,
    formset=BaseSpeakerLinkFormSet,
    extra=2,
    can_delete=True,
)


class BaseAgendaItemFormSet(I18nFormSet):
    def __init__(self, *args, **kwargs):
        self.organizer = kwargs.pop("organizer")
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        kwargs["organizer"] = self.organizer
        return kwargs


AgendaItemFormSet = modelformset_factory(
    AgendaItem,
    form=AgendaItemForm,
    formset=BaseAgendaItemFormSet,
    extra=1,  # more are added in the page (``editor.js``), one a save without scripts
    can_delete=True,
)


class AgendaSettingsForm(SettingsForm):
    innowerkstatt_agenda_position = forms.ChoiceField(
        label=_("Agenda on the event page"),
        choices=POSITION_CHOICES,
        widget=forms.RadioSelect,
        help_text=_("On the front page of the event and on each date's page; hidden while the agenda is empty."),
    )
    innowerkstatt_agenda_follow_event = forms.BooleanField(
        label=_("Move the agenda along when the event or a date is moved"),
        required=False,
        help_text=_(
            "When the start of the event or of a date changes, its agenda items move by the same time; "
            "after a bulk edit of dates within a few minutes."
        ),
    )
    innowerkstatt_agenda_mail_block = forms.BooleanField(
        label=_("Add the agenda to the mails with the tickets"),
        required=False,
        help_text=_(
            "Order confirmations and the other mails that carry tickets get a short agenda below the text "
            "(the ticket's date only, in an attendee's copy). Not when the text already contains {agenda}."
        ),
    )


class ChooseSourceForm(forms.Form):
    """Where to copy an agenda from: an event (or one of its dates) of the same organiser."""

    source = forms.ChoiceField(label=_("Copy from"))
    replace = forms.BooleanField(
        label=_("Replace the current agenda"),
        required=False,
        help_text=_("Otherwise the copied items are added to the existing ones."),
    )

    def __init__(self, *args, events, target_event, target_subevent, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        for event in events:
            if not (event.pk == target_event.pk and target_subevent is None):
                choices.append((f"{event.pk}-", f"{event.name} ({event.get_date_range_display()})"))
            if event.has_subevents:
                for subevent in event.subevents.all():
                    if target_subevent is not None and subevent.pk == target_subevent.pk:
                        continue
                    choices.append((f"{event.pk}-{subevent.pk}", f"{event.name} – {subevent.get_date_range_display()}"))
        self.events = {e.pk: e for e in events}
        self.fields["source"].choices = choices

    def clean_source(self):
        event_pk, _sep, subevent_pk = self.cleaned_data["source"].partition("-")
        event = self.events.get(int(event_pk))
        if event is None:
            raise ValidationError(_("Unknown event."))
        subevent = event.subevents.filter(pk=int(subevent_pk)).first() if subevent_pk else None
        if subevent_pk and subevent is None:
            raise ValidationError(_("Unknown date."))
        return event, subevent


class ShiftForm(forms.Form):
    minutes = forms.IntegerField(
        label=_("Move all items by (minutes)"),
        min_value=-7 * 24 * 60,
        max_value=7 * 24 * 60,
        help_text=_("Negative numbers move the agenda earlier."),
    )

    def clean_minutes(self):
        if self.cleaned_data["minutes"] == 0:
            raise ValidationError(_("Please enter a number of minutes other than zero."))
        return self.cleaned_data["minutes"]


class LinksField(forms.CharField):
    """One link a line: ``https://…`` or ``Label https://…``; only web addresses."""

    widget = forms.Textarea(attrs={"rows": 3, "placeholder": "Mastodon https://social.example/@name"})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(f"{link['label']} {link['url']}".strip() for link in value)
        return value

    def to_python(self, value):
        links = []
        for line in (value or "").splitlines():
            line = line.strip()
            if not line:
                continue
            label, _sep, url = line.rpartition(" ")
            HTTP_URL(url)
            link = clean_link(url, label)
            if link is None:
                raise ValidationError(
                    _("A web address can have at most {length} characters.").format(length=URL_MAX_LENGTH)
                )
            links.append(link)
        return links


def detected_image_extension(upload) -> str:
    """The image type of an upload judged by its content, or a ValidationError."""
    from PIL import Image

    upload.seek(0)
    try:
        with Image.open(BytesIO(upload.read()), formats=list(PHOTO_FORMATS)) as image:
            image.verify()
            kind = image.format
    except Exception:
        raise ValidationError(_("Please upload a photo in PNG, JPEG or GIF format."))
    finally:
        upload.seek(0)
    return PHOTO_FORMATS[kind]


def organizer_languages(organizer) -> list[str]:
    """The organiser's languages and those of all its events, the organiser's first."""
    return list(dict.fromkeys(list(organizer.settings.get("locales") or []) + locales_of_events(organizer)))


def speaker_languages(organizer, speaker=None) -> list[str]:
    """The languages the directory's texts offer: the organiser's, those of all its events and the stored ones.

    A speaker appears on the organiser's events, which are often German and English where the
    organiser's own settings name one language. A language already stored in the role or
    biography is kept on the form, else saving would erase it.
    """
    locales = organizer_languages(organizer)
    if speaker is not None and speaker.pk:
        for value in (speaker.role, speaker.biography):
            data = getattr(value, "data", value)
            if isinstance(data, dict):
                locales += [language for language, text in data.items() if text]
    return list(dict.fromkeys(locales))


def mail_language_field(model_field, organizer, stored: str) -> forms.ChoiceField:
    """*Language for mails*: the languages of the organiser and its events (and the stored one), or none."""
    names = dict(settings.LANGUAGES)
    codes = list(dict.fromkeys([*organizer_languages(organizer), *([stored] if stored else [])]))
    return forms.ChoiceField(
        label=model_field.label,
        help_text=model_field.help_text,
        required=False,
        choices=[("", _("The event's language"))] + [(code, names.get(code, code)) for code in codes],
    )


class SpeakerForm(I18nModelForm):
    photo = ExtFileField(
        label=_("Photo"),
        required=False,
        ext_whitelist=settings.FILE_UPLOAD_EXTENSIONS_IMAGE,
        max_size=PHOTO_MAX_SIZE,
        help_text=_("PNG, JPEG or GIF, at most 5 MB. Shown as a small square picture."),
    )
    links = LinksField(
        label=_("Links"),
        required=False,
        help_text=_("One a line, e.g. “Website https://example.org” or “Mastodon https://social.example/@name”."),
    )

    class Meta:
        model = Speaker
        fields = ["name", "role", "biography", "photo", "links", "email", "locale"]
        widgets = {"biography": I18nMarkdownTextarea}

    def __init__(self, *args, organizer, **kwargs):
        kwargs["locales"] = speaker_languages(organizer, kwargs.get("instance"))
        super().__init__(*args, **kwargs)
        self.fields["biography"].help_text = ""  # the Markdown widget says so itself
        self.fields["locale"] = mail_language_field(self.fields["locale"], organizer, self.instance.locale)

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if isinstance(photo, UploadedFile):
            # The extension check above looked at the name; this one looks at the bytes, and the
            # stored file is named after what it really is.
            extension = detected_image_extension(photo)
            photo.name = f"{os.path.splitext(os.path.basename(photo.name))[0] or 'photo'}.{extension}"
        return photo
