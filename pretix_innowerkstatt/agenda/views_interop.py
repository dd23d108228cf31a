"""Interop pages: the public ``agenda.ics`` and ``schedule.json``, and the backend schedule import.

Public files live under the event page (``event_patterns``), so pretix answers for them as for
its own calendar download: 404 for an unknown event or where the plugin is off, its "shop
offline" answer while the event is not live (unless the visitor may see the event in the
backend). Per date: ``/<organizer>/<event>/<date id>/innowerkstatt/…`` like pretix's date pages;
for a series without a date, the files hold every active date.
"""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView

from ..compat import eventreverse_absolute
from ..core.permissions import EventPluginPermissionMixin, plugin_active_for_event
from . import caching
from .domain.importing import ImportFileError, apply_schedule
from .interfaces.frab import MAX_FILE_SIZE, read_schedule_file, schedule_document
from .interfaces.ical_feed import agenda_calendar
from .interfaces.published import published_agenda

IMPORTED = "pretix_innowerkstatt.agenda.imported"
EDIT_AGENDA = "event.settings.general:write"
EDIT_SPEAKERS = "organizer.settings.general:write"


class PublicAgendaFileView(View):
    """Common part of the public files: plugin check, the date, the items, page URLs."""

    def get(self, request, *args, subevent=None, **kwargs):
        event = request.event
        if not plugin_active_for_event(event):
            raise Http404()
        if subevent is not None:
            if not event.has_subevents:
                raise Http404()
            subevent = get_object_or_404(event.subevents, pk=subevent, active=True)
        self.urls = {}
        response = self.render(event, subevent, lambda: published_agenda(event, subevent))
        if event.settings.meta_noindex:
            response["X-Robots-Tag"] = "noindex"
        return response

    def page_url(self, subevent):
        key = subevent.pk if subevent is not None else None
        if key not in self.urls:
            kwargs = {"subevent": subevent.pk} if subevent is not None else {}
            self.urls[key] = eventreverse_absolute(self.request.event, "presale:event.index", kwargs)
        return self.urls[key]

    def reused(self, kind, event, subevent, build):
        """``build()`` for one event or date, reused while its agenda is unchanged (as the page does).

        A series' file of every date is built afresh each time: any of its dates may change.
        """
        if event.has_subevents and subevent is None:
            return build()
        key = (kind, caching.context_key(event, subevent), caching.agenda_version(event, subevent))
        return caching.remembered(key, build)

    @staticmethod
    def filename(event, subevent, extension):
        return f"{event.organizer.slug}-{event.slug}-{subevent.pk if subevent else 0}-agenda.{extension}"


class AgendaIcsView(PublicAgendaFileView):
    def render(self, event, subevent, occurrences):
        body = self.reused(
            "agenda.ics",
            event,
            subevent,
            lambda: agenda_calendar(event, subevent, occurrences(), self.page_url).to_ical(),
        )
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.filename(event, subevent, "ics")}"'
        return response


class ScheduleJsonView(PublicAgendaFileView):
    def render(self, event, subevent, occurrences):
        language = (get_language() or event.settings.locale).split("-")[0]
        document = schedule_document(event, subevent, occurrences(), self.page_url, language=language)
        response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 1})
        # Public data, read by schedule apps and web viewers on other sites.
        response["Access-Control-Allow-Origin"] = "*"
        response["Content-Disposition"] = f'inline; filename="{self.filename(event, subevent, "json")}"'
        return response


class ScheduleImportForm(forms.Form):
    file = forms.FileField(
        label=_("Schedule file"),
        help_text=_("A schedule.json exported from pretalx or frab (at most 5 MB and 2,000 talks)."),
    )
    subevent = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Import into"),
        empty_label=_("the event series (used by every date without its own agenda)"),
    )
    shift_to_start = forms.BooleanField(
        required=False,
        label=_("Move the times so that the first talk starts when this event or date starts"),
        help_text=_("Without this, every talk keeps the date and time from the file."),
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        if event.has_subevents:
            self.fields["subevent"].queryset = event.subevents.order_by("date_from")
        else:
            del self.fields["subevent"]
        self.fields["file"].widget.attrs["accept"] = ".json,application/json"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_SIZE:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        try:
            self.cleaned_data["schedule"] = read_schedule_file(upload)
        except ImportFileError as e:
            raise forms.ValidationError(str(e))
        return upload


class ScheduleImportView(EventPluginPermissionMixin, FormView):
    """Import a frab/pretalx schedule.json into the agenda of the event or one of its dates."""

    permission = EDIT_AGENDA
    template_name = "pretix_innowerkstatt/agenda/import.html"
    form_class = ScheduleImportForm

    @cached_property
    def initial_subevent(self):
        pk = self.request.GET.get("subevent", "")
        if not self.request.event.has_subevents or not pk.isdigit():
            return None
        return self.request.event.subevents.filter(pk=pk).first()

    def get_initial(self):
        return {"subevent": self.initial_subevent}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "event": self.request.event}

    def agenda_url(self, subevent):
        url = reverse(
            "plugins:pretix_innowerkstatt:agenda",
            kwargs={"organizer": self.request.organizer.slug, "event": self.request.event.slug},
        )
        return f"{url}?subevent={subevent.pk}" if subevent else url

    @cached_property
    def may_change_speakers(self):
        request = self.request
        return request.user.has_organizer_permission(request.organizer, EDIT_SPEAKERS, request=request)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "agenda_url": self.agenda_url(self.initial_subevent),
            "may_change_speakers": self.may_change_speakers,
        }

    def form_valid(self, form):
        event = self.request.event
        subevent = form.cleaned_data.get("subevent")
        shift = form.cleaned_data["shift_to_start"]
        result = apply_schedule(
            event,
            subevent,
            form.cleaned_data["schedule"],
            shift_to_start=shift,
            may_change_speakers=self.may_change_speakers,
        )
        event.log_action(
            IMPORTED,
            user=self.request.user,
            data={
                "filename": form.cleaned_data["file"].name[:200],
                "subevent": subevent.pk if subevent else None,
                "shift_to_start": shift,
                **vars(result),
            },
        )
        messages.success(
            self.request,
            _(
                "The schedule has been imported: {created} items added, {updated} changed, {unchanged} unchanged; "
                "{speakers_created} speakers added, {speakers_updated} changed."
            ).format(**vars(result)),
        )
        if result.speakers_not_added or result.speakers_not_updated:
            messages.warning(
                self.request,
                _(
                    "{speakers_not_added} persons were not added to the speaker directory and {speakers_not_updated} "
                    "speakers were not updated, because you do not have the permission to change the organizer "
                    "settings, which the speaker directory needs. Their agenda items have been imported; speakers "
                    "already in the directory are linked unchanged."
                ).format(**vars(result)),
            )
        return redirect(self.agenda_url(subevent))
