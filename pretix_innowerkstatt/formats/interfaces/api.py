"""REST API of recurring formats: /api/v1/organizers/<organizer>/innowerkstatt/formats/

CRUD on formats (looked up by their short form), plus ``GET …/<slug>/preview/`` (the planned
dates, optionally ``?extend=N`` periods further) and ``POST …/<slug>/create/`` (creates the
missing editions, optionally ``{"extend": N}``; at most 100 per call).
"""

import datetime

from django.db.models import Count, Q
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from i18nfield.rest_framework import I18nAwareModelSerializer
from pretix.base.models import Event, SubEvent
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from ...core.permissions import plugin_active_for_organizer
from .. import permissions
from ..domain import creation, editing, planning
from ..domain.errors import FormatError
from ..models import EDITABLE_FIELDS, Format
from .calendar import edition_url, is_published

# Counted through the reverse relation of the followers capability's ``Follower.format`` (states
# "confirmed" and "pending"), so that formats needs no import of followers (which builds on formats).
FOLLOWER_COUNTS = {
    f"followers_{state}": Count("followers", filter=Q(followers__state=state), distinct=True)
    for state in ("confirmed", "pending")
}


def _follower_count(fmt, state: str) -> int:
    """From the list's annotation, else one query (a format just created or changed)."""
    annotated = getattr(fmt, f"followers_{state}", None)
    if annotated is not None:
        return annotated
    return fmt.followers.filter(state=state).count() if fmt.pk else 0


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
    followers_confirmed = serializers.SerializerMethodField()
    followers_pending = serializers.SerializerMethodField()

    class Meta:
        model = Format
        fields = ["id", *EDITABLE_FIELDS, "rule", "rrule", "editions", "followers_confirmed", "followers_pending"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only events the token or user can access (team event limits), as pretix's own event API lists them.
        events = self.context["visible_events"]
        self.fields["template_event"].queryset = events
        self.fields["template_subevent"].queryset = SubEvent.objects.filter(event__in=events)

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
            if e.event_id in self.context["visible_event_ids"]
        ]

    def get_followers_confirmed(self, fmt):
        return _follower_count(fmt, "confirmed")

    def get_followers_pending(self, fmt):
        return _follower_count(fmt, "pending")

    # Not saved here: the viewset saves through editing.save_format, the one write path.
    def create(self, validated_data):
        return Format(**validated_data)

    def update(self, instance, validated_data):
        for key, value in validated_data.items():
            setattr(instance, key, value)
        return instance

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
            permissions.check_may_create_editions(candidate, self.context["holder"])
        except FormatError as error:
            raise ValidationError({"non_field_errors": [error.message]})
        try:
            permissions.check_may_publish(candidate, self.context["holder"])
        except FormatError as error:
            raise ValidationError({"publish": [error.message]})
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
    permission = permissions.MANAGE_FORMATS

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not plugin_active_for_organizer(request.organizer):
            raise NotFound(_("The plugin is not active for this organiser."))

    @cached_property
    def holder(self):
        return permissions.holder_of(self.request.user, self.request.auth)

    @cached_property
    def visible_events(self):
        """The organiser's events this token or user can access; everything else is left out."""
        return permissions.accessible_events(self.request.organizer, self.holder, request=self.request)

    def get_queryset(self):
        organizer = self.request.organizer
        return (
            permissions.visible_formats(Format.objects.filter(organizer=organizer), organizer, self.holder)
            .select_related("template_event", "template_subevent")
            .prefetch_related("editions__event__organizer", "editions__subevent")
            .annotate(**FOLLOWER_COUNTS)
        )

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "organizer": self.request.organizer,
            "holder": self.holder,
            "visible_events": self.visible_events,
            "visible_event_ids": set(self.visible_events.values_list("pk", flat=True)),
        }

    def _user(self):
        return self.request.user if self.request.user.is_authenticated else None

    def _save(self, serializer, **extra):
        fmt = serializer.save(**extra)  # in memory only, see FormatSerializer.create
        editing.save_format(fmt, user=self._user(), auth=self.request.auth)

    def perform_create(self, serializer):
        self._save(serializer, organizer=self.request.organizer)

    def perform_update(self, serializer):
        self._save(serializer)

    def perform_destroy(self, instance):
        editing.delete_format(instance, user=self._user(), auth=self.request.auth)

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
            planned = creation.plan_of(fmt, visible_events=self.visible_events)
            todo = len(planning.to_create(planned))
        except FormatError as error:
            raise ValidationError({"non_field_errors": [error.message]})
        return Response({"to_create": todo, "dates": [planned_json(p) for p in planned]})

    @action(detail=True, methods=["post"], url_path="create")
    def create_editions(self, request, *args, **kwargs):
        fmt = self.get_object()
        extend = self._extend(request.data.get("extend"))
        try:
            result = creation.create_editions(fmt, user=self._user(), auth=request.auth, extend_by=extend)
        except FormatError as error:
            raise ValidationError({"non_field_errors": [error.message]})
        return Response(result.as_dict(), status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)
