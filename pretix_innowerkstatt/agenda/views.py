"""Backend pages: the agenda editor of an event or date, its actions, and the organiser's speaker directory."""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.generic import DeleteView, FormView, ListView, TemplateView
from django.views.generic.edit import CreateView, UpdateView
from pretix.helpers.thumb import get_thumbnail

from ..core.permissions import EventPluginPermissionMixin, OrganizerPluginPermissionMixin
from ..core.settings_forms import save_event_settings
from . import logtypes
from .domain.checks import check_items, is_outside
from .domain.copying import copy_agenda
from .domain.editing import delete_item, delete_speaker, following_moves, ripple_items, save_item, save_speaker
from .domain.selection import with_speakers
from .domain.shifting import shift_agenda, time_between
from .forms import AgendaItemFormSet, AgendaSettingsForm, ChooseSourceForm, ShiftForm, SpeakerForm, minutes_between
from .models import AgendaItem, AgendaItemSpeaker, Speaker
from .permissions import EDIT_AGENDA, EDIT_SPEAKERS
from .presentation import KIND_ICONS, THUMBNAIL_SIZE


@dataclass
class EditorRow:
    """What the editor's compact row of a stored item shows: time, duration, kind, title, people, notes."""

    item: AgendaItem
    title: str
    minutes: int | None
    icon: str
    flags: object


class AgendaDateMixin(EventPluginPermissionMixin):
    """The event or the series date whose agenda a page shows (``?subevent=<id>``)."""

    @cached_property
    def subevent(self):
        event = self.request.event
        pk = self.request.GET.get("subevent")
        if not event.has_subevents or not pk:
            return None
        if not pk.isdigit():
            raise Http404()
        return get_object_or_404(event.subevents, pk=pk)

    @property
    def window(self):
        ev = self.subevent or self.request.event
        return ev.date_from, ev.date_to

    @cached_property
    def can_edit(self):
        request = self.request
        return request.user.has_event_permission(request.organizer, request.event, EDIT_AGENDA, request=request)

    def agenda_url(self):
        url = reverse(
            "plugins:pretix_innowerkstatt:agenda",
            kwargs={"organizer": self.request.organizer.slug, "event": self.request.event.slug},
        )
        return f"{url}?subevent={self.subevent.pk}" if self.subevent else url

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["subevent"] = self.subevent
        ctx["can_edit"] = self.can_edit
        ctx["agenda_url"] = self.agenda_url()
        ctx["subevent_query"] = f"?subevent={self.subevent.pk}" if self.subevent else ""
        return ctx


class AgendaView(AgendaDateMixin, TemplateView):
    """The running order with its markers, and (with the settings permission) the editor."""

    permission = None
    template_name = "pretix_innowerkstatt/agenda/agenda.html"

    def items(self):
        return list(with_speakers(AgendaItem.objects.filter(event=self.request.event, subevent=self.subevent)))

    def formset(self, items):
        request = self.request
        last = items[-1] if items else None
        start = (last.end or last.start) if last else self.window[0]
        return AgendaItemFormSet(
            data=request.POST if request.method == "POST" else None,
            queryset=AgendaItem.objects.filter(event=request.event, subevent=self.subevent),
            event=request.event,
            organizer=request.organizer,
            prefix="items",
            initial=[{"start": start}] * AgendaItemFormSet.extra,
        )

    def get_context_data(self, formset=None, **kwargs):
        ctx = super().get_context_data(**kwargs)
        event = self.request.event
        items = self.items()
        flags = check_items(items, *self.window)
        ctx["rows"] = [(item, flags[id(item)], KIND_ICONS.get(item.kind, "circle-o")) for item in items]
        ctx["has_overlaps"] = any(f.overlaps for f in flags.values())
        ctx["has_outside"] = any(f.outside for f in flags.values())
        if ctx["has_outside"]:
            ctx["outside_minutes"] = round(time_between(items[0].start, self.window[0]).total_seconds() / 60)
        ctx["falls_back"] = self.subevent is not None and not items
        ctx["timezone"] = event.settings.timezone
        if event.has_subevents:
            ctx["dates"] = event.subevents.all().order_by("date_from")
        if self.can_edit:
            ctx["formset"] = formset = formset or self.formset(items)
            ctx["editor_rows"] = self.editor_rows(formset, items, flags)
            ctx["settings_form"] = AgendaSettingsForm(obj=event, prefix="settings")
        return ctx

    def editor_rows(self, formset, items, flags):
        """``[(form, EditorRow or None), …]``: each form with what its compact row shows of the stored item."""
        locale = self.request.event.settings.locale
        by_pk = {item.pk: item for item in items}
        rows = []
        for form in formset.forms:
            item = by_pk.get(form.instance.pk)
            row = None
            if item is not None:
                row = EditorRow(
                    item=item,
                    title=item.title.localize(locale),
                    minutes=minutes_between(item.start, item.end) if item.end else None,
                    icon=KIND_ICONS.get(item.kind, "circle-o"),
                    flags=flags[id(item)],
                )
            rows.append((form, row))
        return rows

    def post(self, request, *args, **kwargs):
        if not self.can_edit:
            raise PermissionDenied(_("You do not have permission to change the agenda of this event."))
        formset = self.formset(self.items())
        if not formset.is_valid():
            messages.error(request, _("Your changes could not be saved. See below for details."))
            return self.render_to_response(self.get_context_data(formset=formset))
        saved = self._save(formset)
        messages.success(request, _("The agenda has been saved."))
        for item in saved:
            if is_outside(item, *self.window):
                messages.warning(
                    request,
                    _("“{title}” lies outside the time of the event or date. It has been saved anyway.").format(
                        title=item.title
                    ),
                )
        return redirect(self.agenda_url())

    @transaction.atomic
    def _save(self, formset):
        event, user = self.request.event, self.request.user
        stored = {item.pk: item for item in AgendaItem.objects.filter(event=event, subevent=self.subevent)}
        moves, causes = self._ripple_moves(formset, stored)
        for form in formset.deleted_forms:
            if form.instance.pk:
                stored.pop(form.instance.pk, None)
                moves.pop(form.instance.pk, None)
                delete_item(form.instance, user=user)
        saved = []
        for form in formset.forms:
            if form in formset.deleted_forms or not form.has_changed():
                continue
            item = form.save(commit=False)
            item.event, item.subevent = event, self.subevent
            delta = moves.pop(item.pk, None)
            if delta and "start" not in form.changed_data:
                # Edited and rippled in the same save: one change, one sequence step.
                item.start += delta
                item.end = item.end + delta if item.end else None
            speakers = form.speaker_formset
            saved.append(save_item(item, speakers=speakers.links() if speakers.has_changed() else None, user=user))
        if moves:
            ripple_items([(stored[pk], delta) for pk, delta in moves.items()], cause=causes[0].instance, user=user)
        return saved

    @staticmethod
    def _ripple_moves(formset, stored):
        """``({pk: timedelta}, [form, …])``: the stored items that "move the following items too" moves."""
        moves, causes = {}, []
        for form in formset.forms:
            if form in formset.deleted_forms or not form.cleaned_data.get("move_following"):
                continue
            data, pk = form.cleaned_data, form.instance.pk
            before = (form.initial["start"], form.initial.get("end")) if pk else None
            others = [item for item in stored.values() if item.pk != pk]
            for item, delta in following_moves(before, (data["start"], data.get("end")), others):
                moves[item.pk] = moves.get(item.pk, datetime.timedelta(0)) + delta
            causes.append(form)
        return moves, causes


class AgendaSettingsView(AgendaDateMixin, FormView):
    permission = EDIT_AGENDA
    form_class = AgendaSettingsForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "obj": self.request.event, "prefix": "settings"}

    def get(self, request, *args, **kwargs):
        return redirect(self.agenda_url())

    def form_valid(self, form):
        save_event_settings(form, self.request.event, user=self.request.user, action_type=logtypes.SETTINGS_CHANGED)
        messages.success(self.request, _("Your changes have been saved."))
        return redirect(self.agenda_url())

    def form_invalid(self, form):
        messages.error(self.request, _("Your changes could not be saved."))
        return redirect(self.agenda_url())


class AgendaCopyView(AgendaDateMixin, FormView):
    """Copy the agenda of another event or date of this organiser, moved to this one's start."""

    permission = EDIT_AGENDA
    form_class = ChooseSourceForm
    template_name = "pretix_innowerkstatt/agenda/copy.html"

    def get_form_kwargs(self):
        request = self.request
        # Only events this user may see, of this organiser.
        events = (
            request.user.get_events_with_any_permission(request)
            .filter(organizer=request.organizer)
            .prefetch_related("subevents")
            .order_by("-date_from")
        )
        return {
            **super().get_form_kwargs(),
            "events": list(events),
            "target_event": request.event,
            "target_subevent": self.subevent,
        }

    def form_valid(self, form):
        source_event, source_subevent = form.cleaned_data["source"]
        count = copy_agenda(
            source_event,
            self.request.event,
            source_subevent=source_subevent,
            target_subevent=self.subevent,
            replace=form.cleaned_data["replace"],
            user=self.request.user,
        )
        messages.success(self.request, _("{count} agenda items have been copied.").format(count=count))
        return redirect(self.agenda_url())


class AgendaShiftView(AgendaDateMixin, FormView):
    permission = EDIT_AGENDA
    form_class = ShiftForm
    template_name = "pretix_innowerkstatt/agenda/shift.html"

    def get_initial(self):
        # Offered by the agenda page when items lie outside the event's or date's time.
        minutes = self.request.GET.get("minutes", "")
        return {"minutes": int(minutes)} if minutes.lstrip("-").isdigit() else {}

    def form_valid(self, form):
        minutes = form.cleaned_data["minutes"]
        count = shift_agenda(self.request.event, self.subevent, minutes, user=self.request.user)
        messages.success(self.request, _("{count} agenda items have been moved.").format(count=count))
        return redirect(self.agenda_url())


# --- speaker directory (organiser) ----------------------------------------------------------------


class SpeakerMixin(OrganizerPluginPermissionMixin):
    def get_queryset(self):
        return Speaker.objects.filter(organizer=self.request.organizer)

    def list_url(self):
        return reverse("plugins:pretix_innowerkstatt:speakers", kwargs={"organizer": self.request.organizer.slug})

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["list_url"] = self.list_url()
        return ctx


class SpeakerListView(SpeakerMixin, ListView):
    permission = None
    template_name = "pretix_innowerkstatt/agenda/speakers.html"
    context_object_name = "speakers"
    paginate_by = 100

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        request = self.request
        ctx["can_edit"] = request.user.has_organizer_permission(request.organizer, EDIT_SPEAKERS, request=request)
        return ctx


class SpeakerFormMixin(SpeakerMixin):
    permission = EDIT_SPEAKERS
    form_class = SpeakerForm
    template_name = "pretix_innowerkstatt/agenda/speaker_edit.html"
    context_object_name = "speaker"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["organizer"] = self.request.organizer
        return kwargs

    def form_valid(self, form):
        form.instance.organizer = self.request.organizer
        speaker = save_speaker(form.save(commit=False), user=self.request.user, log_data={"changed": form.changed_data})
        if "photo" in form.changed_data and speaker.photo:
            # Made now, so the event page only looks thumbnails up.
            get_thumbnail(speaker.photo, THUMBNAIL_SIZE)
        messages.success(self.request, _("The speaker has been saved."))
        return redirect(self.return_url())

    def return_url(self):
        """Back where the speaker was opened from (``?next=``, e.g. the agenda editor), else the directory."""
        target = self.request.GET.get("next", "")
        if target.startswith("/control/") and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
            return target
        return self.list_url()

    def form_invalid(self, form):
        messages.error(self.request, _("Your changes could not be saved. See below for details."))
        return super().form_invalid(form)


class SpeakerCreateView(SpeakerFormMixin, CreateView):
    pass


class SpeakerUpdateView(SpeakerFormMixin, UpdateView):
    pass


class SpeakerDeleteView(SpeakerMixin, DeleteView):
    permission = EDIT_SPEAKERS
    template_name = "pretix_innowerkstatt/agenda/speaker_delete.html"
    context_object_name = "speaker"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["usage"] = AgendaItemSpeaker.objects.filter(speaker=self.object).count()
        return ctx

    def form_valid(self, form):
        delete_speaker(self.object, user=self.request.user)
        messages.success(self.request, _("The speaker has been deleted."))
        return redirect(self.list_url())
