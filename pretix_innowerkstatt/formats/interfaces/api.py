"""REST API of recurring formats: /api/v1/organizers/<organizer>/innowerkstatt/formats/

CRUD on formats (looked up by their short form), plus ``GET …/<slug>/preview/`` (the planned
dates, optionally ``?extend=N`` periods further) and ``POST …/<slug>/create/`` (creates the
missing editions, optionally ``{"extend": N}``; at most 100 per call).
"""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _
from i18nfield.rest_framework import I18nAwareModelSerializer
from pretix.base.models import Event, SubEvent
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from ...core.permissions import plugin_active_for_organizer
from .. import logtypes
from ..domain import creation, planning
from ..domain.errors import FormatError
from ..models import EDITABLE_FIELDS, Format
from .calendar import edition_url, is_published


class BlockedDateSerializer(serializers.Serializer):
    date = serializers.DateField()
    reason = serializers.CharField(allow_blank=True, required=False, default="", max_length=200)


class FormatSerializer(I18nAwareModelSerializer):
    template_event = serializers.SlugRelatedField(slug_field="slug", queryset=Event.objects.none())
    template_subevent = serializers.PrimaryKeyRelatedField(
        queryset=SubEvent.objects.none(), required=False, allow_null=True
    )
    blocked_dates = BlockedDateSerializer(many=True, required=False)
    rule = serializers.SerializerMethodField()
    rrule = serializers.SerializerMethodField()
    editions = serializers.SerializerMethodField()

    class Meta:
        model = Format
        fields = ["id", *EDITABLE_FIELDS, "rule", "rrule", "editions"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organizer = self.context["organizer"]
        self.fields["template_event"].queryset = organizer.events.all()
        self.fields["template_subevent"].queryset = SubEvent.objects.filter(event__organizer=organizer)

    def get_rule(self, fmt):
        try:
            return creation.rule_of(fmt).describe()
        except FormatError:
            return None

    def get_rrule(self, fmt):
        try:
            return creation.rule_of(fmt).rrule_string(creation.timezone_of(fmt))
        except FormatError:
            return None

    def get_editions(self, fmt):
        return [
            {
                "key": e.key,
                "event": e.event.slug if e.event_id else None,
                "subevent": e.subevent_id,
                "date_from": e.target.date_from if e.target else None,
                "public_url": edition_url(e) if e.event_id and is_published(e) else None,
            }
            for e in fmt.editions.all()
        ]

    def validate_blocked_dates(self, value):
        return sorted(({"date": v["date"].isoformat(), "reason": v.get("reason", "")} for v in value), key=str)

    def validate(self, attrs):
        organizer = self.context["organizer"]
        slug = attrs.get("slug", getattr(self.instance, "slug", None))
        clash = Format.objects.filter(organizer=organizer, slug=slug)
        if self.instance:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError({"slug": [_("Another format already uses this short form.")]})
        if attrs.get("mode", getattr(self.instance, "mode", planning.MODE_EVENTS)) == planning.MODE_EVENTS:
            attrs["template_subevent"] = None
        candidate = Format(organizer=organizer)
        if self.instance:
            for field in Format._meta.concrete_fields:
                setattr(candidate, field.attname, getattr(self.instance, field.attname))
        for key, value in attrs.items():
            setattr(candidate, key, value)
        if candidate.first_year is None:
            candidate.first_year = datetime.date.today().year
            attrs["first_year"] = candidate.first_year
        try:
            creation.validate_format(candidate)
        except FormatError as error:
            raise ValidationError({"non_field_errors": [error.message]})
        return attrs


def planned_json(entry: planning.PlannedEdition) -> dict:
    date = entry.date
    edition = entry.existing.ref if entry.existing else None
    return {
        "key": entry.key,
        "label": entry.label,
        "status": entry.status,
        "start": entry.start,
        "end": entry.end,
        "rule_start": date.rule_start if date else None,
        "moved": bool(date and date.moved),
        "reasons": list(date.reasons) if date else [],
        "warnings": list(entry.warnings),
        "notes": list(entry.notes),
        "name": entry.names,
        "slug": entry.slug or None,
        "edition": (
            {"event": edition.event.slug if edition.event_id else None, "subevent": edition.subevent_id}
            if edition
            else None
        ),
    }


class FormatViewSet(viewsets.ModelViewSet):
    serializer_class = FormatSerializer
    queryset = Format.objects.none()
    lookup_field = "slug"
    permission = "organizer.events:create"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not plugin_active_for_organizer(request.organizer):
            raise NotFound(_("The plugin is not active for this organiser."))

    def get_queryset(self):
        return (
            Format.objects.filter(organizer=self.request.organizer)
            .select_related("template_event", "template_subevent")
            .prefetch_related("editions__event__organizer", "editions__subevent")
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "organizer": self.request.organizer}

    def _log(self, fmt, action, **data):
        fmt.log_action(action, user=self.request.user, auth=self.request.auth, data=data)

    @transaction.atomic
    def perform_create(self, serializer):
        fmt = serializer.save(organizer=self.request.organizer)
        self._log(fmt, logtypes.FORMAT_ADDED, name=str(fmt.name), slug=fmt.slug, changed=list(self.request.data))

    @transaction.atomic
    def perform_update(self, serializer):
        fmt = serializer.save()
        self._log(fmt, logtypes.FORMAT_CHANGED, name=str(fmt.name), slug=fmt.slug, changed=list(self.request.data))

    @transaction.atomic
    def perform_destroy(self, instance):
        self.request.organizer.log_action(
            logtypes.FORMAT_DELETED,
            user=self.request.user,
            auth=self.request.auth,
            data={"name": str(instance.name), "slug": instance.slug},
        )
        instance.delete()

    def _extend(self, value):
        try:
            extend = int(value or 0)
        except (TypeError, ValueError):
            extend = -1
        if not 0 <= extend <= creation.MAX_EXTEND:
            raise ValidationError(
                {"extend": [_("Choose between 0 and %(max)s periods.") % {"max": creation.MAX_EXTEND}]}
            )
        return extend

    @action(detail=True, methods=["get"])
    def preview(self, request, *args, **kwargs):
        fmt = self.get_object()
        extend = self._extend(request.query_params.get("extend"))
        try:
            if extend:
                creation.extend_horizon(fmt, extend)
            planned = creation.plan_of(fmt)
            todo = len(planning.to_create(planned))
        except FormatError as error:
            raise ValidationError({"non_field_errors": [error.message]})
        return Response({"to_create": todo, "dates": [planned_json(p) for p in planned]})

    @action(detail=True, methods=["post"], url_path="create")
    def create_editions(self, request, *args, **kwargs):
        fmt = self.get_object()
        extend = self._extend(request.data.get("extend"))
        user = request.user if request.user.is_authenticated else None
        try:
            result = creation.create_editions(fmt, user=user, auth=request.auth, extend_by=extend)
        except FormatError as error:
            raise ValidationError({"non_field_errors": [error.message]})
        return Response(result.as_dict(), status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)
