"""Backend pages of recurring formats (under the organiser) and the public series calendar."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DeleteView, ListView, TemplateView
from django.views.generic.edit import CreateView, UpdateView
from pretix.base.views.tasks import AsyncAction
from pretix.multidomain.urlreverse import eventreverse

from ..core.permissions import OrganizerPluginPermissionMixin, plugin_active_for_organizer
from . import permissions, tasks
from .domain import creation, editing, planning
from .domain.errors import FormatError
from .forms import ExtendForm, FormatForm
from .interfaces.calendar import cached_series_calendar, calendar_url
from .models import Edition, Format

STATUS_LABELS = {
    planning.CREATE: (gettext_lazy("will be created"), "info"),
    planning.EXISTS: (gettext_lazy("created"), "success"),
    planning.SKIPPED: (gettext_lazy("skipped"), "warning"),
    planning.PAST: (gettext_lazy("in the past"), "default"),
    planning.CONFLICT: (gettext_lazy("conflict"), "danger"),
}


def edition_links(edition: Edition) -> dict:
    """Backend and shop URL of an edition's event or date."""
    event, subevent = edition.event, edition.subevent
    if event is None:
        return {}
    kwargs = {"organizer": event.organizer.slug, "event": event.slug}
    if subevent is not None:
        return {
            "backend": reverse("control:event.subevent", kwargs={**kwargs, "subevent": subevent.pk}),
            "shop": eventreverse(event, "presale:event.index", kwargs={"subevent": subevent.pk}),
        }
    return {
        "backend": reverse("control:event.index", kwargs=kwargs),
        "shop": eventreverse(event, "presale:event.index"),
    }


class FormatMixin(OrganizerPluginPermissionMixin):
    permission = permissions.MANAGE_FORMATS

    def get_queryset(self):
        organizer = self.request.organizer
        return permissions.visible_formats(
            Format.objects.filter(organizer=organizer), organizer, self.request.user, request=self.request
        ).select_related("template_event", "template_subevent")

    def visible_events(self):
        return permissions.accessible_events(self.request.organizer, self.request.user, request=self.request)

    def list_url(self):
        return reverse("plugins:pretix_innowerkstatt:formats", kwargs={"organizer": self.request.organizer.slug})

    def preview_url(self, fmt):
        return reverse(
            "plugins:pretix_innowerkstatt:formats.preview",
            kwargs={"organizer": self.request.organizer.slug, "slug": fmt.slug},
        )


class FormatObjectMixin(FormatMixin):
    slug_field = "slug"
    slug_url_kwarg = "slug"
    context_object_name = "format"

    @cached_property
    def format(self):
        return get_object_or_404(self.get_queryset(), slug=self.kwargs["slug"])

    def get_object(self, queryset=None):
        return self.format


class FormatListView(FormatMixin, ListView):
    template_name = "pretix_innowerkstatt/formats/list.html"
    context_object_name = "formats"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("editions")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        rows = []
        for fmt in ctx["formats"]:
            try:
                description = creation.rule_of(fmt).describe()
            except FormatError as error:
                description = error.message
            rows.append({"format": fmt, "rule": description, "editions": len(fmt.editions.all())})
        ctx["rows"] = rows
        ctx["unpublished"] = [
            {
                "edition": edition,
                "links": edition_links(edition),
                "target": edition.target,
                "timezone": edition.event.settings.timezone,
            }
            for edition in unpublished_editions(ctx["formats"], self.visible_events())
        ]
        return ctx


def unpublished_editions(formats, visible_events):
    """Editions of ``formats`` on events the user may see that do not sell yet: offline or in test
    mode (events), inactive (dates); by date."""
    editions = (
        Edition.objects.filter(format__in=formats, event__in=visible_events)
        .filter(
            Q(subevent__isnull=True, event__live=False)
            | Q(subevent__isnull=True, event__testmode=True)
            | Q(subevent__isnull=False, subevent__active=False)
        )
        .select_related("format", "event", "subevent", "event__organizer")
    )
    return sorted(editions, key=lambda e: e.target.date_from)


class FormatPublishView(FormatMixin, View):
    """ "Publish editions": takes the chosen editions live with pretix's go-live checks."""

    def post(self, request, *args, **kwargs):
        editions = Edition.objects.filter(
            format__in=self.get_queryset(),
            event__in=self.visible_events(),
            pk__in=[pk for pk in request.POST.getlist("edition") if pk.isdigit()],
        ).select_related("format", "event", "subevent", "event__organizer")
        if not editions:
            messages.warning(request, _("Choose the editions to publish."))
            return redirect(self.list_url())
        result = editing.publish_editions(editions, user=request.user, request=request)
        if result.published:
            count = len(result.published)
            messages.success(
                request,
                ngettext("%(count)s edition has been published.", "%(count)s editions have been published.", count)
                % {"count": count},
            )
        for edition, why in result.refused:
            messages.error(
                request,
                _("“%(edition)s” could not be published: %(why)s") % {"edition": edition.target.name, "why": why},
            )
        return redirect(self.list_url())


class FormatFormMixin(FormatMixin):
    form_class = FormatForm
    template_name = "pretix_innowerkstatt/formats/edit.html"
    context_object_name = "format"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["organizer"] = self.request.organizer
        kwargs["request"] = self.request
        return kwargs

    @transaction.atomic
    def form_valid(self, form):
        form.instance.organizer = self.request.organizer
        fmt = editing.save_format(form.save(commit=False), user=self.request.user)
        messages.success(self.request, _("The format has been saved. Check the planned dates below."))
        return redirect(self.preview_url(fmt))

    def form_invalid(self, form):
        messages.error(self.request, _("Your changes could not be saved. See below for details."))
        return super().form_invalid(form)


class FormatCreateView(FormatFormMixin, CreateView):
    pass


class FormatUpdateView(FormatFormMixin, FormatObjectMixin, UpdateView):
    pass


class FormatDeleteView(FormatObjectMixin, DeleteView):
    template_name = "pretix_innowerkstatt/formats/delete.html"

    def form_valid(self, form):
        editing.delete_format(self.format, user=self.request.user)
        messages.success(self.request, _("The format has been deleted. Its editions remain as they are."))
        return redirect(self.list_url())


class FormatPreviewView(FormatObjectMixin, TemplateView):
    """Every planned date before anything is created: moved, skipped, existing, conflicts."""

    template_name = "pretix_innowerkstatt/formats/preview.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        fmt = self.format
        extend_form = ExtendForm(data=self.request.GET or None)
        extend = extend_form.cleaned_data.get("extend") or 0 if extend_form.is_valid() else 0
        ctx.update(format=fmt, extend_form=extend_form, extend=extend, calendar_url=calendar_url(fmt))
        try:
            if extend:
                creation.extend_horizon(fmt, extend)  # in memory only: a preview changes nothing
            rule = creation.rule_of(fmt)
            ctx["rule"] = rule.describe()
            ctx["timezone"] = str(creation.timezone_of(fmt))
            planned = creation.plan_of(fmt, visible_events=self.visible_events())
            ctx["todo"] = len(planning.to_create(planned))
            outlook = creation.outlook_of(
                fmt, may_go_live=permissions.may_take_live(fmt, self.request.user, request=self.request)
            )
            ctx["outlook"] = outlook
        except FormatError as error:
            ctx["error"] = error.message
            return ctx
        rows = []
        for entry in planned:
            label, css = STATUS_LABELS[entry.status]
            edition = entry.existing.ref if entry.existing else None
            rows.append(
                {
                    "entry": entry,
                    "status": label,
                    "css": css,
                    "moved": entry.date is not None and entry.date.moved,
                    "links": edition_links(edition) if edition else {},
                    "presale_start": outlook.presale_start(entry.start) if entry.status == planning.CREATE else None,
                }
            )
        ctx["rows"] = rows
        ctx["counts"] = {status: sum(1 for p in planned if p.status == status) for status in STATUS_LABELS}
        return ctx


class FormatCreateEditionsView(FormatObjectMixin, AsyncAction, View):
    """Creates the missing editions in pretix's task queue, with pretix's progress page."""

    task = tasks.create_editions
    known_errortypes = ["FormatError"]

    def get_success_url(self, value):
        return self.preview_url(self.format)

    def get_error_url(self):
        return self.preview_url(self.format)

    def get_success_message(self, value):
        created = len(value["created"])
        parts = [ngettext("%(count)s edition has been created.", "%(count)s editions have been created.", created)]
        parts[0] %= {"count": created}
        if value["conflicts"]:
            parts.append(
                ngettext(
                    "%(count)s edition could not be created, see the list.",
                    "%(count)s editions could not be created, see the list.",
                    len(value["conflicts"]),
                )
                % {"count": len(value["conflicts"])}
            )
        if value["offline"]:
            parts.append(_("Some editions could not go live yet; pretix lists what is missing on each event."))
        return " ".join(parts)

    def post(self, request, *args, **kwargs):
        form = ExtendForm(data=request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose between 0 and %(max)s periods.") % {"max": creation.MAX_EXTEND})
            return redirect(self.preview_url(self.format))
        return self.do(
            organizer=request.organizer.pk,
            user=request.user.pk,
            format_id=self.format.pk,
            extend_by=form.cleaned_data.get("extend") or 0,
            locale=get_language(),
            session_key=request.session.session_key,
        )


class SeriesCalendarView(View):
    """The public, subscribable calendar of a format: one recurring event with its exceptions.

    Served only while the format's "public" switch is on; otherwise 404 like an unknown format.
    """

    def get(self, request, slug, **kwargs):
        organizer = request.organizer
        if not plugin_active_for_organizer(organizer):
            raise Http404()
        fmt = get_object_or_404(
            Format.objects.select_related("template_event", "template_subevent", "organizer"),
            organizer=organizer,
            slug=slug,
            public=True,
        )
        try:
            content = cached_series_calendar(fmt)
        except FormatError:
            raise Http404()
        response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{fmt.slug}.ics"'
        return response
