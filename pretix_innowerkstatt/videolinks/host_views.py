"""The host link of a person on the agenda: GET shows a page, POST in the window joins as moderator."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import resolve, reverse
from django.utils.decorators import method_decorator
from django.utils.timezone import now
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from django_scopes import scope

from ..agenda.permissions import EDIT_SPEAKERS
from ..compat import add_content_security_policy
from ..core.dates import date_and_time
from ..core.permissions import EventPluginPermissionMixin, plugin_active_for_event
from . import permissions
from .attendee_views import join_redirect
from .domain import hosts, presentation, ratelimit
from .logtypes import HOST_JOINED
from .providers.base import ProviderUnavailable

TEMPLATE = "pretix_innowerkstatt/videolinks/host.html"
UNREACHABLE_TEMPLATE = "pretix_innowerkstatt/videolinks/unreachable.html"


@method_decorator(never_cache, name="dispatch")
class HostView(View):
    """``/<organizer>/<event>/innowerkstatt/host/<speaker id>/<secret>/``."""

    def dispatch(self, request, *args, **kwargs):
        event = request.event
        if not plugin_active_for_event(event):
            raise Http404()
        # Compared first, always: a wrong link takes as long whether or not the person exists.
        if not hosts.secret_matches(event, kwargs["speaker"], kwargs["secret"]):
            raise Http404()
        from ..agenda.models import Speaker

        with scope(organizer=event.organizer):
            self.speaker = Speaker.objects.filter(organizer=event.organizer, pk=kwargs["speaker"]).first()
            self.items = hosts.host_items(event, kwargs["speaker"]) if self.speaker else []
            if not self.items:  # removed from the agenda, or no host role any more: revoked
                raise Http404()
            self.now = now()
            self.dated, self.window = hosts.current_date(event, self.items, self.now)
            response = super().dispatch(request, *args, **kwargs)
        response["Referrer-Policy"] = "no-referrer"
        return response

    def render_page(self, status=200, rate_limited=False):
        event = self.request.event
        state = self.window.state(self.now)
        ctx = {
            "event": event,
            "speaker": self.speaker,
            "items": [{"when": hosts.item_time(event, item), "title": item.title} for item in self.items],
            "opens": presentation.format_moment(self.window.opens, event),
            "too_early": state == "too_early",
            "too_late": state == "too_late",
            "can_join": state is None,
            "rate_limited": rate_limited,
        }
        response = render(self.request, TEMPLATE, ctx, status=status)
        add_content_security_policy(self.request, {"form-action": ["http:", "https:"]}, response=response)
        return response

    def get(self, request, *args, **kwargs):
        return self.render_page()

    def post(self, request, *args, **kwargs):
        if self.window.state(self.now) is not None:
            return self.render_page(status=403)
        # The attendees' limit (ten POSTs a minute), counted per person and event in its own keys.
        if ratelimit.limited(f"host-{request.event.pk}-{self.speaker.pk}"):
            return self.render_page(status=429, rate_limited=True)
        try:
            target = hosts.host_redirect_url(request.event, self.speaker, self.dated, self.window)
        except ProviderUnavailable:
            return render(request, UNREACHABLE_TEMPLATE, {"event": request.event}, status=503)
        # In the event log, not as a ticket check-in: hosts have no ticket.
        request.event.log_action(HOST_JOINED, data={"speaker": self.speaker.pk, "name": self.speaker.name})
        return join_redirect(target)


def nav_children(request) -> list[dict]:
    """The pages under *Video conference* in the event's navigation, for users who may change its settings."""
    match = resolve(request.path_info)
    ours = match.namespace == "plugins:pretix_innowerkstatt" and (match.url_name or "").startswith("videolinks.")
    kwargs = {"organizer": request.organizer.slug, "event": request.event.slug}
    on_hosts = ours and match.url_name == "videolinks.hosts"
    return [
        {
            "label": _("Settings"),
            "url": reverse("plugins:pretix_innowerkstatt:videolinks.settings", kwargs=kwargs),
            "active": ours and not on_hosts,
        },
        {
            "label": _("Hosts"),
            "url": reverse("plugins:pretix_innowerkstatt:videolinks.hosts", kwargs=kwargs),
            "active": on_hosts,
        },
    ]


def speaker_edit_url(organizer, person) -> str:
    kwargs = {"organizer": organizer.slug, "pk": person.pk}
    return reverse("plugins:pretix_innowerkstatt:speaker.edit", kwargs=kwargs)


class HostsView(EventPluginPermissionMixin, TemplateView):
    """*Event → Video conference → Hosts*: everybody with a host link, to copy and pass on."""

    permission = permissions.CHANGE_SETTINGS
    template_name = "pretix_innowerkstatt/videolinks/control/hosts.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        request, event = self.request, self.request.event
        # The email (and language) are entered in the organiser's speaker directory, for those who may change it.
        may_edit = request.user.has_organizer_permission(event.organizer, EDIT_SPEAKERS, request=request)
        back = "?" + urlencode({"next": request.path})
        languages = dict(settings.LANGUAGES)
        tz = event.timezone  # read once: each read asks the event's settings again
        ctx["hosts"] = [
            {
                "person": person,
                "items": items,
                # Each item's start in the event's time zone, as everywhere ("Dec. 4, 2026, 18:10").
                "agenda": [(date_and_time(item.start.astimezone(tz)), item) for item in items],
                "url": hosts.host_url(event, person),
                "edit_url": speaker_edit_url(event.organizer, person) + back if may_edit else None,
                "language": languages.get(person.locale, person.locale),
            }
            for person, items in hosts.hosts(event)
        ]
        return ctx

    def post(self, request, *args, **kwargs):
        """ "Send link" to one person (``speaker``) or to all; again only after their items or the meeting changed."""
        event = request.event
        wanted = request.POST.get("speaker")
        sent = skipped = 0
        for person, _items in hosts.hosts(event):
            if wanted != "all" and str(person.pk) != wanted:
                continue
            if hosts.send_host_link(event, person, user=request.user):
                sent += 1
            else:
                skipped += 1
        messages.success(
            request,
            _("Host links sent: {sent}. Not sent (no email, or already sent): {skipped}.").format(
                sent=sent, skipped=skipped
            ),
        )
        return redirect(request.path)
