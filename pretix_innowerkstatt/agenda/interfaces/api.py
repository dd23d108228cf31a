"""REST API: agenda items per event and the organiser's speaker directory.

Registered on pretix's own routers (see ``agenda/urls.py``), so pretix's token, device and OAuth
authentication, its permission check (``permission`` to read, ``write_permission`` to write) and
its pagination apply unchanged. Multilingual fields use pretix's i18n representation
(``{"de": "…", "en": "…"}``). Text is returned as stored (Markdown); whoever renders it as HTML
must sanitise it, as the plugin's own pages do with pretix's ``rich_text``.
"""

import copy

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from pretix.api.serializers.i18n import I18nAwareModelSerializer
from rest_framework import serializers, viewsets

from ...core.permissions import plugin_active_for_event, plugin_active_for_organizer
from ..domain.editing import delete_item, delete_speaker, save_item, save_speaker
from ..domain.selection import with_speakers
from ..domain.speaker_links import LABEL_MAX_LENGTH, URL_MAX_LENGTH, clean_links
from ..models import AgendaItem, AgendaItemSpeaker, Speaker
from ..permissions import EDIT_AGENDA, EDIT_SPEAKERS


def check_external_id(instance, data):
    """The model's rule of one external ID per directory or agenda, as a 400 instead of a database error."""
    candidate = copy.copy(instance)
    candidate.external_id = data.get("external_id", instance.external_id)
    if "subevent" in data:
        candidate.subevent = data["subevent"]
    try:
        candidate.validate_constraints()
    except DjangoValidationError as e:
        raise serializers.ValidationError({"external_id": e.messages})


def may_read_private_fields(request) -> bool:
    """The speaker's private email: only for tokens and users who may change the directory.

    The same permission as the directory's edit form, where the email is entered; everybody else
    with access to the organiser reads the directory without it. (pretix's permission check has
    put the organiser's permissions of the token or user on the request.)
    """
    permissions = getattr(request, "orgapermset", None)
    return permissions is not None and EDIT_SPEAKERS in permissions


class SpeakerLinkSerializer(serializers.Serializer):
    label = serializers.CharField(max_length=LABEL_MAX_LENGTH, allow_blank=True, required=False, default="")
    url = serializers.CharField(max_length=URL_MAX_LENGTH, validators=[URLValidator(schemes=["http", "https"])])


class SpeakerSerializer(I18nAwareModelSerializer):
    links = serializers.ListField(child=SpeakerLinkSerializer(), required=False)
    photo = serializers.SerializerMethodField()

    class Meta:
        model = Speaker
        fields = [
            "id",
            "name",
            "role",
            "biography",
            "photo",
            "links",
            "email",
            "locale",
            "external_id",
            "created",
            "updated",
        ]
        read_only_fields = ["id", "photo", "created", "updated"]

    def get_fields(self):
        fields = super().get_fields()
        if not may_read_private_fields(self.context.get("request")):
            del fields["email"]
        return fields

    def validate_links(self, links):
        return clean_links(links)

    def validate_locale(self, locale):
        if locale and locale not in dict(settings.LANGUAGES):
            raise serializers.ValidationError(_("Please choose one of the languages this pretix offers, or none."))
        return locale

    def validate(self, data):
        data = super().validate(data)
        check_external_id(self.instance or Speaker(organizer=self.context["request"].organizer), data)
        return data

    def create(self, validated_data):
        return self.update(Speaker(), validated_data)

    def update(self, speaker, validated_data):
        for field, value in validated_data.items():
            setattr(speaker, field, value)
        request = self.context["request"]
        return save_speaker(speaker, user=request.user, auth=request.auth, log_data={"api_data": request.data})

    def get_photo(self, speaker):
        if not speaker.photo:
            return None
        request = self.context.get("request")
        url = speaker.photo.url
        return request.build_absolute_uri(url) if request else url


class ItemSpeakerSerializer(serializers.Serializer):
    speaker = serializers.PrimaryKeyRelatedField(
        queryset=Speaker.objects.none(),
        error_messages={
            "does_not_exist": _("Speaker {pk_value} is not in this organizer's speaker directory."),
        },
    )
    role = serializers.ChoiceField(choices=AgendaItemSpeaker.ROLE_CHOICES, default=AgendaItemSpeaker.ROLE_SPEAKER)

    def to_representation(self, link):
        return {"speaker": link.speaker_id, "role": link.role}


class AgendaItemSerializer(I18nAwareModelSerializer):
    speakers = ItemSpeakerSerializer(many=True, required=False, source="speaker_links")

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "uid",
            "sequence",
            "subevent",
            "start",
            "end",
            "title",
            "description",
            "kind",
            "room",
            "position",
            "speakers",
            "external_id",
            "created",
            "updated",
        ]
        read_only_fields = ["id", "uid", "sequence", "created", "updated"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        event = self.context["event"]
        self.fields["subevent"].queryset = event.subevents.all()
        self.fields["speakers"].child.fields["speaker"].queryset = Speaker.objects.filter(
            organizer_id=event.organizer_id
        )

    def validate(self, data):
        data = super().validate(data)
        start = data.get("start", getattr(self.instance, "start", None))
        end = data.get("end", getattr(self.instance, "end", None))
        if start and end and end < start:
            raise serializers.ValidationError({"end": [_("The end must not be before the start.")]})
        links = data.get("speaker_links")
        if links is not None:
            ids = [link["speaker"].pk for link in links]
            if len(ids) != len(set(ids)):
                raise serializers.ValidationError({"speakers": [_("A speaker may only be listed once per item.")]})
        check_external_id(self.instance or AgendaItem(event=self.context["event"]), data)
        return data

    def _save(self, item, validated_data):
        links = validated_data.pop("speaker_links", None)
        for field, value in validated_data.items():
            setattr(item, field, value)
        request = self.context["request"]
        try:
            return save_item(
                item, speakers=links, user=request.user, auth=request.auth, log_data={"api_data": request.data}
            )
        except DjangoValidationError as e:  # a capability refused the change (``editing.check_item``)
            raise serializers.ValidationError(e.message_dict if hasattr(e, "error_dict") else e.messages)

    def create(self, validated_data):
        validated_data.setdefault("speaker_links", [])
        return self._save(AgendaItem(event=self.context["event"]), validated_data)

    def update(self, item, validated_data):
        return self._save(item, validated_data)


class PluginActiveMixin:
    """The API answers 404 where the plugin is not active, like the plugin's pages."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not self.plugin_active(request):
            raise Http404()


class AgendaItemViewSet(PluginActiveMixin, viewsets.ModelViewSet):
    """``/api/v1/organizers/<organizer>/events/<event>/innowerkstatt/agenda/`` (``?subevent=<id>`` filters)."""

    serializer_class = AgendaItemSerializer
    queryset = AgendaItem.objects.none()
    permission = None
    write_permission = EDIT_AGENDA

    def plugin_active(self, request):
        return plugin_active_for_event(request.event)

    def get_queryset(self):
        items = with_speakers(AgendaItem.objects.filter(event=self.request.event))
        subevent = self.request.query_params.get("subevent")
        if subevent == "none":
            items = items.filter(subevent__isnull=True)
        elif subevent:
            if not subevent.isdigit():
                raise Http404()
            items = items.filter(subevent_id=subevent)
        return items.order_by("start", "position", "id")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "event": self.request.event}

    def perform_destroy(self, item):
        delete_item(item, user=self.request.user, auth=self.request.auth, log_data={"api_data": self.request.data})


class SpeakerViewSet(PluginActiveMixin, viewsets.ModelViewSet):
    """``/api/v1/organizers/<organizer>/innowerkstatt/speakers/``"""

    serializer_class = SpeakerSerializer
    queryset = Speaker.objects.none()
    permission = None
    write_permission = EDIT_SPEAKERS

    def plugin_active(self, request):
        return plugin_active_for_organizer(request.organizer)

    def get_queryset(self):
        return Speaker.objects.filter(organizer=self.request.organizer).order_by("name", "id")

    def perform_create(self, serializer):
        serializer.save(organizer=self.request.organizer)

    def perform_destroy(self, speaker):
        delete_speaker(
            speaker, user=self.request.user, auth=self.request.auth, log_data={"api_data": self.request.data}
        )
