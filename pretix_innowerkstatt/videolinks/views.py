"""The attendee's join page (GET: information only) and the join itself (POST: redirect)."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView
from django_scopes import scope
from pretix.base.middleware import add_to_response_csp_via_request
from pretix.base.models import Item, Order, OrderPosition
from pretix.base.services import tickets
from pretix.base.views.tasks import AsyncAction
from pretix.presale.signals import process_request, process_response
from pretix.presale.utils import _event_view

from ..core.permissions import PLUGIN, EventPluginPermissionMixin, plugin_active_for_event
from . import join_lookup
from . import settings as names
from .domain import links, pending, ratelimit
from .domain.checkin import checkin_list
from .domain.config import access_rules, configure_event, meeting_for, prefetch_settings
from .domain.eligibility import join_refusal
from .domain.presentation import join_state
from .domain.reminders import create_reminder_rules
from .forms import VideoConferenceConfigForm, VideoSettingsForm
from .logtypes import ACCESS_UPDATE_SENT_TEXT, OVERRIDE_ADDED, OVERRIDE_CHANGED, OVERRIDE_DELETED, TEST_JOIN
from .models import VideoConferenceConfig
from .overview import join_counts
from .tasks import record_join_task, schedule_flush, send_access_update_task

# Changing one of these changes what attendees were told: offer the "updated access" mail.
ACCESS_SETTINGS = {
    names.JOIN_URL,
    names.MEETING_ID,
    names.PASSCODE,
    names.DIAL_IN,
    names.INSTRUCTIONS,
    names.OPENS_MINUTES_BEFORE,
    names.CLOSES_MINUTES_AFTER,
}

TEMPLATE = "pretix_innowerkstatt/videolinks/join.html"
JOINED_PARTS = (("order", join_lookup.ORDER), ("item", join_lookup.ITEM), ("subevent", join_lookup.SUBEVENT))


# Only what eligibility, the window, the provider and the page need: a narrow SELECT is
# markedly cheaper to build and to read than pretix's ~150 columns of the three tables. The
# same fields as the main domain's lookup, and the names the page shows.
POSITION_FIELDS = (
    *(f.attname for f in join_lookup.POSITION.fields),
    *(f"{relation}__{f.attname}" for relation, part in JOINED_PARTS for f in part.fields),
    "order__testmode",
    "item__name",
    "subevent__name",
)


def find_position(event, order_code, positionid):
    """The one indexed lookup of the hot path (order, product and date come along)."""
    position = (
        OrderPosition.all.select_related("order", "item", "subevent")
        .only(*POSITION_FIELDS)
        .filter(order__event_id=event.pk, order__code=order_code, positionid=positionid)
        .order_by()[:1]
    )
    position = next(iter(position), None)
    if position is not None:
        position.order.event = event
    return position


def note_join(event, position, at) -> int:
    """Counts the join POST for the rate limit and has the join recorded; returns the count.

    With Redis this is one round trip, and the check-in follows a few seconds later, in one batch
    for everybody who joined meanwhile (domain/pending.py). Without Redis the cache counts, and
    the first POST of a rate-limit window enqueues a task for its check-in.
    """
    if pending.available():
        posts, flush_to_schedule = pending.note_join(event.pk, position.pk, at)
        if flush_to_schedule:
            schedule_flush(event.pk)
        return posts
    posts = ratelimit.count_join_post(position.pk)
    if posts == 1:
        # A double click or a reload within the rate-limit window is the same join: one task.
        record_join_task.apply_async(kwargs={"event": event.pk, "position_id": position.pk, "at": at.isoformat()})
    return posts


def join_redirect(target):
    response = HttpResponseRedirect(target)
    add_never_cache_headers(response)
    # The personal link must not travel on as a Referer to the meeting service.
    response["Referrer-Policy"] = "no-referrer"
    # A redirect has no content to protect: it needs no Content-Security-Policy (the join page's
    # own policy allows its form to lead to the meeting).
    response._csp_ignore = True
    return response


# Set on the request by the main-domain route when it counted the POST before handing it over.
COUNTED_POSTS = "_innowerkstatt_join_posts"


@method_decorator(never_cache, name="dispatch")
class JoinView(View):
    """``/<organizer>/<event>/innowerkstatt/join/<order>/<position>/<secret>/``."""

    def dispatch(self, request, *args, **kwargs):
        if not plugin_active_for_event(request.event):  # pretix checks the event only
            raise Http404()
        position = find_position(request.event, kwargs["order"], kwargs["position"])
        # Always compute and compare, also when no position exists: a wrong link takes as long as a right one.
        if not links.secret_matches(position, kwargs["secret"]):
            raise Http404()
        self.position = position
        self.rules = access_rules(request.event)
        self.meeting = meeting_for(request.event, position.subevent_id, position.item_id)
        self.state = join_state(position, self.rules, self.meeting, now(), request.event)
        response = super().dispatch(request, *args, **kwargs)
        # The personal link must not travel on as a Referer to the meeting service.
        response["Referrer-Policy"] = "no-referrer"
        return response

    def render_page(self, status=200, rate_limited=False):
        # The meeting may be on http://; pretix's CSP allows form targets on https: only.
        add_to_response_csp_via_request(self.request, {"form-action": ["http:", "https:"]})
        ctx = {
            "event": self.request.event,
            "position": self.position,
            "order": self.position.order,
            "subevent": self.position.subevent,
            "state": self.state,
            "rate_limited": rate_limited,
            # Instructions, meeting ID and passcode only for a ticket that may join.
            "meeting": self.meeting if self.state.has_access else None,
            "show_credentials": self.state.can_join,
        }
        return render(self.request, TEMPLATE, ctx, status=status)

    def get(self, request, *args, **kwargs):
        return self.render_page()

    def post(self, request, *args, **kwargs):
        posts = getattr(request, COUNTED_POSTS, None)
        if not self.state.can_join:
            # Refused POSTs count towards the limit as well, but join nobody.
            posts = posts or ratelimit.count_join_post(self.position.pk)
            if not ratelimit.allowed(posts):
                return self.render_page(status=429, rate_limited=True)
            return self.render_page(status=403)
        posts = posts or note_join(request.event, self.position, self.state.now)
        if not ratelimit.allowed(posts):
            return self.render_page(status=429, rate_limited=True)
        return join_redirect(self.meeting.redirect_url(self.position))


# The join link's route as pretix sets up every plugin page under /<organizer>/<event>/: event and
# organiser from the URL, custom domains, shop offline or in test mode, languages, and the
# process_request/process_response signals of the event's plugins.
event_join_view = _event_view(JoinView.as_view(), require_plugin=PLUGIN)


def fast_join(request, organizer, event, order, position, secret):
    """The join POST of a live event on the main domain, or None to hand it over to ``event_join_view``.

    At the start of an event the whole audience sends this POST within seconds. pretix's event
    handling costs several times the join itself (event lookup, custom-domain and sales-channel
    checks, locales, a second URL resolution), so the common case – the right secret, the ticket
    may join now, a live shop without custom domains, plugin active – is answered here with one
    query (join_lookup.py) and one Redis round trip. Everything else (wrong links: 404, refusals
    with their explanation, rate limit page, test mode, custom domains) goes through pretix's
    handling, which renders the page in the attendee's language. CSRF is checked by pretix's middleware
    before either. The checks are the same as ``JoinView``'s.
    """
    if getattr(request, "domain_mode", "system") != "system":
        return None
    found = join_lookup.find_position_by_slugs(organizer, event, order, position)
    if not links.secret_matches(found, secret):
        return None
    the_event = found.order.event
    if found.has_custom_domain or not the_event.live or the_event.testmode or not plugin_active_for_event(the_event):
        return None
    with scope(organizer=the_event.organizer):
        at = now()
        prefetch_settings(the_event)
        meeting = meeting_for(the_event, found.subevent_id, found.item_id)
        if join_refusal(found, access_rules(the_event), meeting, at, the_event):
            return None
        request.event, request.organizer = the_event, the_event.organizer
        for __, response in process_request.send(the_event, request=request):
            if response:
                return response
        posts = note_join(the_event, found, at)
        if not ratelimit.allowed(posts):
            setattr(request, COUNTED_POSTS, posts)
            return None
        response = join_redirect(meeting.redirect_url(found))
        for __, changed in process_response.send(the_event, request=request, response=response):
            response = changed  # as pretix does: the last receiver's answer
    return response


def join_on_main_domain(request, **kwargs):
    """The join link on pretix's main domain, where plugin root routes come before pretix's own.

    Only the POST takes the short way (``fast_join``); GETs and every case it does not handle go
    through ``event_join_view``, exactly like the event route that custom shop domains use.
    """
    if request.method == "POST":
        response = fast_join(request, **kwargs)
        if response is not None:
            return response
    return event_join_view(request, **kwargs)


# --- backend ---------------------------------------------------------------------------------


class ControlUrlsMixin:
    def _kwargs(self):
        return {"organizer": self.request.organizer.slug, "event": self.request.event.slug}

    def settings_url(self):
        return reverse("plugins:pretix_innowerkstatt:videolinks.settings", kwargs=self._kwargs())


class VideoSettingsView(ControlUrlsMixin, EventPluginPermissionMixin, FormView):
    """The event's meeting, access rules and window; overrides per date/product; actions."""

    permission = "event.settings.general:write"
    template_name = "pretix_innowerkstatt/videolinks/control/settings.html"
    form_class = VideoSettingsForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["event"] = self.request.event
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        event = self.request.event
        ctx["overrides"] = event.innowerkstatt_video_configs.select_related("subevent", "item")
        ctx["checkin_list"] = checkin_list(event)
        ctx["sendmail_active"] = "pretix.plugins.sendmail" in event.get_plugins()
        ctx["placeholders"] = ["{join_link}", "{join_button}", "{join_details}"]
        return ctx

    @transaction.atomic
    def form_valid(self, form):
        event = self.request.event
        changed = configure_event(event, user=self.request.user, **form.settings_values())
        tickets.invalidate_cache.apply_async(kwargs={"event": event.pk})
        if changed:
            messages.success(self.request, _("Your changes have been saved."))
            if set(changed) & ACCESS_SETTINGS:
                messages.info(
                    self.request,
                    _(
                        "Existing personal links lead to the new details right away. If attendees should "
                        "know about the change, use “Send updated access information”."
                    ),
                )
        else:
            messages.info(self.request, _("Nothing has changed."))
        return redirect(self.settings_url())

    def form_invalid(self, form):
        messages.error(self.request, _("We could not save your changes. See below for details."))
        return super().form_invalid(form)


class OverrideEditView(ControlUrlsMixin, EventPluginPermissionMixin, FormView):
    permission = "event.settings.general:write"
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
        is_new = form.instance.pk is None
        if not is_new and not form.has_changed():
            return redirect(self.settings_url())
        row = form.save()
        self.request.event.log_action(
            OVERRIDE_ADDED if is_new else OVERRIDE_CHANGED,
            user=self.request.user,
            data={"id": row.pk, "scope": str(row), "fields": [f for f in form.changed_data if f != "passcode"]},
        )
        tickets.invalidate_cache.apply_async(kwargs={"event": self.request.event.pk})
        messages.success(self.request, _("Your changes have been saved."))
        return redirect(self.settings_url())


class OverrideDeleteView(ControlUrlsMixin, EventPluginPermissionMixin, TemplateView):
    permission = "event.settings.general:write"
    template_name = "pretix_innowerkstatt/videolinks/control/override_delete.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["row"] = get_object_or_404(VideoConferenceConfig, event=self.request.event, pk=self.kwargs["pk"])
        return ctx

    @transaction.atomic
    def post(self, request, *args, **kwargs):
        row = get_object_or_404(VideoConferenceConfig, event=request.event, pk=kwargs["pk"])
        scope = str(row)
        row.delete()
        request.event.log_action(OVERRIDE_DELETED, user=request.user, data={"scope": scope})
        tickets.invalidate_cache.apply_async(kwargs={"event": request.event.pk})  # PDF tickets show the link
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

    permission = "event.settings.general:write"
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
    permission = "event.orders:read"
    template_name = "pretix_innowerkstatt/videolinks/control/joins.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["counts"] = join_counts(self.request.event)
        ctx["checkin_list"] = checkin_list(self.request.event)
        return ctx


class AccessUpdateView(ControlUrlsMixin, EventPluginPermissionMixin, AsyncAction, View):
    """Starts the "Updated access information" mailing as a pretix background task."""

    permission = "event.orders:write"
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
    permission = "event.settings.general:write"

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
