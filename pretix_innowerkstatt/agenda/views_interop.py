"""Interop pages: the public ``agenda.ics`` and ``schedule.json``, and the backend schedule import.

Public files live under the event page (``event_patterns``), so pretix answers for them as for
its own calendar download: 404 for an unknown event or where the plugin is off, its "shop
offline" answer while the event is not live (unless the visitor may see the event in the
backend). Per date: ``/<organizer>/<event>/<date id>/innowerkstatt/…`` like pretix's date pages;
for a series without a date, the files hold every active date.
"""

import datetime
import uuid
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.files.base import ContentFile
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.timezone import now
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView
from pretix.base.models import CachedFile

from ..compat import eventreverse_absolute
from ..core.permissions import EventPluginPermissionMixin, plugin_active_for_event
from . import caching
from .domain.importing import MAX_FILE_SIZE, ImportFileError, apply_schedule, plan_schedule, read_schedule
from .interfaces.frab import schedule_document
from .interfaces.ical_feed import agenda_calendar
from .interfaces.published import published_agenda
from .permissions import EDIT_AGENDA, EDIT_SPEAKERS

# The uploaded file waits for the organiser's confirmation as one of pretix's cached files,
# bound to the uploader's session (as pretix's own CSV import does).
UPLOAD_SALT = "innowerkstatt-schedule-import"
UPLOAD_TYPE = "application/vnd.innowerkstatt.schedule-import+json"


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
        raw = upload.read(MAX_FILE_SIZE + 1)
        try:
            self.cleaned_data["schedule"] = read_schedule(raw)
        except ImportFileError as e:
            raise forms.ValidationError(str(e))
        self.cleaned_data["raw"] = raw
        return upload


class ScheduleImportView(EventPluginPermissionMixin, FormView):
    """Import a frab/pretalx schedule.json into the agenda of the event or one of its dates.

    Two steps on one address: the upload is checked and kept (``?file=<id>``), the page then
    previews what the import would add and change, in particular which speakers of the
    organiser's directory; a second POST confirms and imports.
    """

    permission = EDIT_AGENDA
    template_name = "pretix_innowerkstatt/agenda/import.html"
    form_class = ScheduleImportForm

    @cached_property
    def initial_subevent(self):
        pk = self.request.GET.get("subevent", "")
        if not self.request.event.has_subevents or not pk.isdigit():
            return None
        return self.request.event.subevents.filter(pk=pk).first()

    @cached_property
    def shift_to_start(self):
        return self.request.GET.get("shift") == "1"

    @cached_property
    def upload(self):
        """The uploaded file this page previews or imports (``?file=``), or None on the upload step."""
        pk = self.request.GET.get("file")
        if not pk:
            return None
        try:
            upload = CachedFile.objects.filter(pk=uuid.UUID(pk), type=UPLOAD_TYPE).first()
        except ValueError:
            raise Http404()
        if upload is None or not upload.file or not upload.allowed_for_session(self.request, UPLOAD_SALT):
            raise Http404()
        return upload

    def uploaded_schedule(self):
        with self.upload.file.open("rb") as f:
            return read_schedule(f.read(MAX_FILE_SIZE + 1))

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
        ctx = {
            **super().get_context_data(**kwargs),
            "agenda_url": self.agenda_url(self.initial_subevent),
            "may_change_speakers": self.may_change_speakers,
        }
        if self.upload is not None:
            ctx["plan"] = plan_schedule(
                self.request.event,
                self.initial_subevent,
                self.uploaded_schedule(),
                shift_to_start=self.shift_to_start,
                may_change_speakers=self.may_change_speakers,
            )
            ctx["filename"] = self.upload.filename
            ctx["subevent"] = self.initial_subevent
            ctx["upload_url"] = self.request.path
        return ctx

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except ImportFileError as e:  # the kept file can no longer be read: start again
            messages.error(request, str(e))
            return redirect(request.path)

    def post(self, request, *args, **kwargs):
        if self.upload is not None:
            return self.confirm()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        """Keep the checked file and show what importing it would do."""
        upload = CachedFile.objects.create(
            expires=now() + datetime.timedelta(hours=6),
            date=now(),
            # The uploaded file's own name, for the preview and the log; the file is never served.
            filename=form.cleaned_data["file"].name[:200],
            type=UPLOAD_TYPE,
            web_download=False,
        )
        upload.bind_to_session(self.request, UPLOAD_SALT)
        upload.file.save("schedule.json", ContentFile(form.cleaned_data["raw"]))
        query = {"file": upload.pk}
        if form.cleaned_data.get("subevent"):
            query["subevent"] = form.cleaned_data["subevent"].pk
        if form.cleaned_data["shift_to_start"]:
            query["shift"] = "1"
        return redirect(f"{self.request.path}?{urlencode(query)}")

    def confirm(self):
        event, subevent, upload = self.request.event, self.initial_subevent, self.upload
        try:
            result = apply_schedule(
                event,
                subevent,
                self.uploaded_schedule(),
                shift_to_start=self.shift_to_start,
                may_change_speakers=self.may_change_speakers,
                user=self.request.user,
                log_data={"filename": upload.filename},
            )
        except ImportFileError as e:
            messages.error(self.request, str(e))
            return redirect(self.request.get_full_path())
        upload.delete()
        messages.success(
            self.request,
            _(
                "The schedule has been imported: {created} items added, {updated} changed, {unchanged} unchanged; "
                "{speakers_created} speakers added, {speakers_updated} changed."
            ).format(**vars(result)),
        )
        if result.speakers_linked_by_name:
            messages.info(
                self.request,
                _(
                    "{speakers_linked_by_name} speakers of your directory have the name of a person in the file, "
                    "but no matching ID: they have been linked to the talks and left unchanged."
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
