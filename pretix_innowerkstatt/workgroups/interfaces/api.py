"""REST API: ``/api/v1/organizers/<organizer>/events/<event>/innowerkstatt/groups/``.

Permissions as for the agenda: anyone with access to the event reads, changing needs the
agenda's permission. Writes go through the domain's verbs (capacity checks, logging). The
group's own meeting URL is write-only: it is as secret as the main meeting URL.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.http import Http404
from i18nfield.rest_framework import I18nAwareModelSerializer
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError

from ...agenda.interfaces.api import PluginActiveMixin
from ...agenda.models import AgendaItem, Speaker
from ...agenda.permissions import EDIT_AGENDA
from ...core.permissions import plugin_active_for_event
from ...videolinks.domain.providers import validate_meeting_url
from ..domain.managing import EDITABLE_FIELDS, change_group, create_group, delete_group
from ..domain.membership import GroupError
from ..domain.selection import active_member_filter
from ..models import WorkGroup, WorkGroupMember


class WorkGroupSerializer(I18nAwareModelSerializer):
    item = serializers.PrimaryKeyRelatedField(queryset=AgendaItem.objects.none())
    host = serializers.PrimaryKeyRelatedField(queryset=Speaker.objects.none(), allow_null=True, required=False)
    subevent = serializers.IntegerField(source="item.subevent_id", read_only=True)
    members = serializers.SerializerMethodField()
    meeting_url = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=2000)

    class Meta:
        model = WorkGroup
        fields = [
            "id",
            "item",
            "subevent",
            "name",
            "description",
            "capacity",
            "host",
            "meeting_url",
            "room_name",
            "position",
            "members",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        event = self.context["event"]
        self.fields["item"].queryset = AgendaItem.objects.filter(event=event, kind=AgendaItem.KIND_WORK)
        self.fields["host"].queryset = Speaker.objects.filter(organizer=event.organizer)

    def get_members(self, group) -> list[int]:
        """Ids of the order positions in this group that hold a place."""
        members = getattr(group, "active_members", None)  # prefetched when listed
        if members is None:
            members = WorkGroupMember.objects.filter(active_member_filter(), group=group).order_by("position_id")
        return [m.position_id for m in members]

    def validate_capacity(self, value):
        if value < 1:
            raise ValidationError("A group needs at least one place.")
        return value

    def validate_meeting_url(self, value):
        value = (value or "").strip()
        if value:
            try:
                validate_meeting_url(value)  # only http(s) addresses, as for the main meeting
            except DjangoValidationError as error:
                raise ValidationError(list(error.messages)) from error
        return value

    def _fields(self, validated_data) -> dict:
        return {k: v for k, v in validated_data.items() if k in EDITABLE_FIELDS}

    def create(self, validated_data):
        request = self.context["request"]
        try:
            return create_group(
                validated_data["item"], user=request.user, auth=request.auth, **self._fields(validated_data)
            )
        except GroupError as error:
            raise ValidationError(str(error)) from error

    def update(self, group, validated_data):
        request = self.context["request"]
        try:
            return change_group(
                group,
                user=request.user,
                auth=request.auth,
                item=validated_data.get("item"),
                **self._fields(validated_data),
            )
        except GroupError as error:
            raise ValidationError(str(error)) from error


class WorkGroupViewSet(PluginActiveMixin, viewsets.ModelViewSet):
    """Groups of the event (``?subevent=<id>`` or ``?subevent=none`` filter by date, as the agenda does)."""

    serializer_class = WorkGroupSerializer
    queryset = WorkGroup.objects.none()
    permission = None
    write_permission = EDIT_AGENDA

    def plugin_active(self, request):
        return plugin_active_for_event(request.event)

    def get_queryset(self):
        groups = WorkGroup.objects.filter(event=self.request.event).prefetch_related(
            Prefetch(
                "members",
                queryset=WorkGroupMember.objects.filter(active_member_filter()).order_by("position_id"),
                to_attr="active_members",
            )
        )
        subevent = self.request.query_params.get("subevent")
        if subevent == "none":
            groups = groups.filter(item__subevent__isnull=True)
        elif subevent:
            if not subevent.isdigit():
                raise Http404()
            groups = groups.filter(item__subevent_id=subevent)
        return groups.select_related("item").order_by("item__start", "item_id", "position", "id")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "event": self.request.event}

    def perform_destroy(self, group):
        try:
            delete_group(group, user=self.request.user, auth=self.request.auth)
        except GroupError as error:
            raise ValidationError(str(error)) from error


__all__ = ["WorkGroupViewSet"]
