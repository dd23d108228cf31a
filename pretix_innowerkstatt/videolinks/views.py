"""The attendee's join page (GET: information only) and the join itself (POST: redirect)."""

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.timezone import now
from django.views import View
from django.views.decorators.cache import never_cache
from pretix.base.middleware import add_to_response_csp_via_request
from pretix.base.models import OrderPosition

from .domain import links
from .domain.config import access_rules, meeting_for
from .domain.presentation import join_state
from .domain.ratelimit import allow_join_post
from .tasks import record_join_task

TEMPLATE = "pretix_innowerkstatt/videolinks/join.html"


def find_position(event, order_code, positionid):
    """The one indexed lookup of the hot path (order, product and date come along)."""
    position = (
        OrderPosition.all.select_related("order", "item", "subevent")
        .filter(order__event_id=event.pk, order__code=order_code, positionid=positionid)
        .first()
    )
    if position is not None:
        position.order.event = event
    return position


@method_decorator(never_cache, name="dispatch")
class JoinView(View):
    """``/<organizer>/<event>/innowerkstatt/join/<order>/<position>/<secret>/``."""

    def dispatch(self, request, *args, **kwargs):
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
        if not allow_join_post(self.position.pk):
            return self.render_page(status=429, rate_limited=True)
        if not self.state.can_join:
            return self.render_page(status=403)
        target = self.meeting.redirect_url(self.position)
        record_join_task.apply_async(
            kwargs={"event": request.event.pk, "position_id": self.position.pk, "at": now().isoformat()}
        )
        return HttpResponseRedirect(target)
