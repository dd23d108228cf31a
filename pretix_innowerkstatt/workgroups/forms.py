"""Backend forms: a group, and where the members of a deleted group go."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField
from pretix.base.forms import I18nMarkdownTextarea, I18nModelForm, SettingsForm

from ..agenda.models import AgendaItem, Speaker
from ..videolinks.domain.providers import validate_meeting_url
from .models import WorkGroup


class GroupForm(I18nModelForm):
    class Meta:
        model = WorkGroup
        fields = ["item", "name", "description", "capacity", "host", "meeting_url", "room_name"]
        field_classes = {"item": SafeModelChoiceField, "host": SafeModelChoiceField}
        widgets = {"description": I18nMarkdownTextarea}

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = AgendaItem.objects.filter(pk__in=[i.pk for i in items])
        self.fields["item"].empty_label = None
        self.fields["item"].label_from_instance = lambda item: f"{item.title} ({item.start:%H:%M})"
        self.fields["host"].queryset = Speaker.objects.filter(organizer=self.event.organizer)
        self.fields["description"].help_text = ""  # the Markdown widget says so itself
        self.fields["capacity"].min_value = 1
        self.fields["capacity"].widget.attrs["min"] = 1

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        if capacity < 1:
            raise forms.ValidationError(_("A group needs at least one place."))
        return capacity

    def clean_meeting_url(self):
        url = (self.cleaned_data.get("meeting_url") or "").strip()
        if url:
            validate_meeting_url(url)  # only http(s) addresses, as for the main meeting
        return url


class DeleteGroupForm(forms.Form):
    move_to = SafeModelChoiceField(
        queryset=WorkGroup.objects.none(),
        required=False,
        empty_label=_("Nobody – they choose again or are assigned (“assign me”)"),
        label=_("Move its members to"),
    )

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["move_to"].queryset = groups


class GroupSettingsForm(SettingsForm):
    innowerkstatt_workgroups_auto_assign_minutes = forms.IntegerField(
        label=_("Assign the rest automatically (minutes before the work phase)"),
        min_value=0,
        max_value=24 * 60,
        help_text=_(
            "Tickets without a group (“assign me”) are put into the least full groups this many minutes before "
            "the work phase starts. 0: only when you press “Assign the rest”."
        ),
    )
    innowerkstatt_workgroups_room_minutes_before = forms.IntegerField(
        label=_("Open the group rooms (minutes before the work phase)"),
        min_value=0,
        max_value=120,
        help_text=_(
            "From this many minutes before the work phase starts until it ends, the join page leads each "
            "attendee into their group's room. 0: from the start of the work phase."
        ),
    )
    innowerkstatt_workgroups_change_deadline_minutes = forms.IntegerField(
        label=_("Attendees may change their group until (minutes before the start)"),
        min_value=0,
        max_value=60 * 24 * 60,
        help_text=_("Counted back from the start of the event or of the ticket's date. 0: until the start."),
    )
