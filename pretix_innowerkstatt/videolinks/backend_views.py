"""The organiser's pages of the video conference: settings, per-date details, test link, joins, mails."""

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, TemplateView
from pretix.base.models import Item, Order, OrderPosition
from pretix.base.views.tasks import AsyncAction

from ..core.permissions import EventPluginPermissionMixin
from . import notices, permissions
from .domain.checkin import checkin_list
from .domain.config import access_rules, meeting_for
from .domain.editing import delete_meeting_details, save_event_settings, save_meeting_details
from .domain.presentation import join_state
from .domain.reminders import create_reminder_rules
from .forms import VideoConferenceConfigForm, VideoSettingsForm
from .logtypes import ACCESS_UPDATE_SENT_TEXT, TEST_JOIN
from .models import VideoConferenceConfig
from .overview import join_counts
from .tasks import send_access_update_task


def report_saved(request, saved):
    """The message after a change; offers the "updated access" mail when attendees were told otherwise."""
    if not saved:
        messages.info(request, _("Nothing has changed."))
        return
    messages.success(request, _("Your changes have been saved."))
    if saved.access_changed:
        notices.offer_access_update(request)


class ControlUrlsMixin:
    def _kwargs(self):
        return {"organizer": self.request.organizer.slug, "event": self.request.event.slug}

    def settings_url(self):
        return reverse("plugins:pretix_innowerkstatt:videolinks.settings", kwargs=self._kwargs())


class VideoSettingsView(ControlUrlsMixin, EventPluginPermissionMixin, FormView):
    """The event's meeting, access rules and window; overrides per date/product; actions."""

    permission = permissions.CHANGE_SETTINGS
    template_name = "pretix_innowerkstatt/videolinks/control/settings.html"
    form_class = VideoSettingsForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["event"] = self.request.event
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        event = self.request.event
        ctx["notices"] = notices.event_notices(event)
        ctx["overrides"] = event.innowerkstatt_video_configs.select_related("subevent", "item")
        ctx["checkin_list"] = checkin_list(event)
        ctx["sendmail_active"] = "pretix.plugins.sendmail" in event.get_plugins()
        ctx["placeholders"] = ["{join_link}", "{join_button}", "{join_details}"]
        return ctx

    @transaction.atomic
    def form_valid(self, form):
        report_saved(
            self.request, save_event_settings(self.request.event, user=self.request.user, **form.settings_values())
        )
        return redirect(self.settings_url())

    def form_invalid(self, form):
        messages.error(self.request, _("We could not save your changes. See below for details."))
        return super().form_invalid(form)


class OverrideEditView(ControlUrlsMixin, EventPluginPermissionMixin, FormView):
    permission = permissions.CHANGE_SETTINGS
    template_name = "pretix_innowerkstatt/videolinks/control/override.html"
    form_class = VideoConferenceConfigForm

    def get_object(self):
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(VideoConferenceConfig, event=self.request.event, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["event"] = self.request.event
        kwargs["instance"] = self.get_object()
        return kwargs

    @transaction.atomic
    def form_valid(self, form):
        saved = save_meeting_details(
            self.request.event,
            row=self.get_object(),  # as stored: the form has already copied its values onto its instance
            subevent=form.cleaned_data.get("subevent"),
            item=form.cleaned_data.get("item"),
            user=self.request.user,
            **form.meeting_values(),
        )
        report_saved(self.request, saved)
        return redirect(self.settings_url())


class OverrideDeleteView(ControlUrlsMixin, EventPluginPermissionMixin, TemplateView):
    permission = permissions.CHANGE_SETTINGS
    template_name = "pretix_innowerkstatt/videolinks/control/override_delete.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["row"] = get_object_or_404(VideoConferenceConfig, event=self.request.event, pk=self.kwargs["pk"])
        return ctx

    @transaction.atomic
    def post(self, request, *args, **kwargs):
        row = get_object_or_404(VideoConferenceConfig, event=request.event, pk=kwargs["pk"])
        delete_meeting_details(row, user=request.user)
        messages.success(request, _("The meeting details have been deleted."))
        return redirect(self.settings_url())


def _sample_position(event, subevent, user):
    """An unsaved ticket for the organiser's preview: what an attendee of ``subevent`` sees."""
    order = Order(event=event, code="PREVIEW", email=user.email, status=Order.STATUS_PAID, locale=event.settings.locale)
    item = event.items.filter(admission=True).first() or Item(event=event, name=_("Admission"), admission=True)
    position = OrderPosition(
        order=order, item=item, subevent=subevent, positionid=1, attendee_name_parts={"_legacy": user.fullname or ""}
    )
    position.attendee_email = user.email
    return position


class TestLinkView(ControlUrlsMixin, EventPluginPermissionMixin, TemplateView):
    """The backend "test link": the attendee's join panel right now, and a join that always works."""

    permission = permissions.CHANGE_SETTINGS
    template_name = "pretix_innowerkstatt/videolinks/control/test.html"

    def subevent(self):
        event = self.request.event
        if not event.has_subevents:
            return None
        pk = self.request.GET.get("subevent") or self.request.POST.get("subevent")
        qs = event.subevents.all()
        if pk and str(pk).isdigit():
            return qs.filter(pk=pk).first() or qs.order_by("date_from").first()
        return qs.filter(date_from__gte=now()).order_by("date_from").first() or qs.order_by("date_from").first()

    def meeting_and_position(self):
        subevent = self.subevent()
        position = _sample_position(self.request.event, subevent, self.request.user)
        meeting = meeting_for(self.request.event, subevent.pk if subevent else None, position.item.pk)
        return meeting, position

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        event = self.request.event
        meeting, position = self.meeting_and_position()
        rules = access_rules(event)
        state = join_state(position, rules, meeting, now(), event)
        ctx.update(
            event=event,
            position=position,
            subevent=position.subevent,
            state=state,
            meeting=meeting,
            show_credentials=True,
            join_page=True,
            subevents=event.subevents.order_by("date_from") if event.has_subevents else [],
            settings_url=self.settings_url(),
        )
        return ctx

    def post(self, request, *args, **kwargs):
        meeting, position = self.meeting_and_position()
        if not meeting.configured:
            messages.error(request, _("Please set a meeting URL first."))
            return redirect(self.settings_url())
        request.event.log_action(TEST_JOIN, user=request.user, data={"subevent": position.subevent_id})
        response = HttpResponseRedirect(meeting.redirect_url(position))
        response["Referrer-Policy"] = "no-referrer"
        return response


class JoinCountsView(ControlUrlsMixin, EventPluginPermissionMixin, TemplateView):
    permission = permissions.VIEW_ORDERS
    template_name = "pretix_innowerkstatt/videolinks/control/joins.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["counts"] = join_counts(self.request.event)
        ctx["checkin_list"] = checkin_list(self.request.event)
        return ctx


class AccessUpdateView(ControlUrlsMixin, EventPluginPermissionMixin, AsyncAction, View):
    """Starts the "Updated access information" mailing as a pretix background task."""

    permission = permissions.CHANGE_ORDERS
    task = send_access_update_task
    known_errortypes = ["ValidationError"]

    def get_success_url(self, value):
        return self.settings_url()

    def get_error_url(self):
        return self.settings_url()

    def get_success_message(self, value):
        return str(ACCESS_UPDATE_SENT_TEXT).format(**value)

    def post(self, request, *args, **kwargs):
        return self.do(event=request.event.pk, user=request.user.pk)


class RemindersView(ControlUrlsMixin, EventPluginPermissionMixin, View):
    permission = permissions.CHANGE_SETTINGS

    @transaction.atomic
    def post(self, request, *args, **kwargs):
        rules = create_reminder_rules(request.event, user=request.user)
        messages.success(
            request,
            _("{count} reminder emails have been scheduled. You can change them under “Automated emails”.").format(
                count=len(rules)
            ),
        )
        return redirect(self.settings_url())
