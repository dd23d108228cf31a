"""The attendee's join page (GET: information only) and the join itself (POST: redirect)."""

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.utils.timezone import now
from django.views import View
from django.views.decorators.cache import never_cache
from django_scopes import scope
from pretix.base.models import OrderPosition
from pretix.presale.signals import process_request, process_response
from redis.exceptions import RedisError

from ..compat import add_content_security_policy, event_view, prefetch_settings, without_content_security_policy
from ..core.permissions import PLUGIN, plugin_active_for_event
from . import join_lookup
from .domain import links, outage, pending, ratelimit
from .domain.checkin import checked_in, record_joins
from .domain.config import access_rules, meeting_for
from .domain.eligibility import join_refusal
from .domain.presentation import join_agenda, join_state
from .providers.base import ProviderUnavailable
from .tasks import record_join_task, schedule_flush

TEMPLATE = "pretix_innowerkstatt/videolinks/join.html"
UNREACHABLE_TEMPLATE = "pretix_innowerkstatt/videolinks/unreachable.html"
JOINED_PARTS = (("order", join_lookup.ORDER), ("item", join_lookup.ITEM), ("subevent", join_lookup.SUBEVENT))


# Only what eligibility, the window, the provider and the page need: a narrow SELECT is
# markedly cheaper to build and to read than pretix's ~150 columns of the three tables. The
# same fields as the main domain's lookup, and the names the page shows.
POSITION_FIELDS = (
    *(f.attname for f in join_lookup.POSITION.fields),
    *(f"{relation}__{f.attname}" for relation, part in JOINED_PARTS for f in part.fields),
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


def note_join(event, position, at):
    """Has the join recorded as a check-in, off the redirect's way.

    With Redis the join is noted there (one round trip) and recorded a few seconds later, in a
    batch with everybody who joined meanwhile (domain/pending.py). Without Redis, or while it is
    unreachable, a task records it – unless it is recorded already (a reload, a double click). If
    the task cannot even be queued (a broker on the unreachable Redis), the join is recorded here.
    """
    if pending.available():
        try:
            shard_to_flush = pending.note_join(event.pk, position.pk, at)
        except RedisError as e:
            outage.redis_failed(e)
        else:
            _schedule(event, shard_to_flush)
            return
    _record_without_redis(event, position, at)


def count_and_note_join(event, position, at) -> bool:
    """The short way's rate limit and noted join; False (nothing noted) when the ticket is over the limit.

    With Redis one round trip counts the POST on pretix's rate-limit counter and notes the join
    (``pending.count_and_note``). Without Redis, or while it is unreachable, as ``JoinView``:
    ``ratelimit.limited`` (which lets everybody in while Redis is unreachable) and ``note_join``.
    """
    if pending.available():
        try:
            over_limit, shard_to_flush = pending.count_and_note(
                event.pk,
                position.pk,
                at,
                counter=ratelimit.counter_key(position.pk),
                allowed=ratelimit.JOIN_POSTS_PER_WINDOW,
                window=ratelimit.WINDOW_SECONDS,
            )
        except RedisError as e:
            outage.redis_failed(e)
        else:
            if not over_limit:
                _schedule(event, shard_to_flush)
            return not over_limit
    elif ratelimit.limited(position.pk):
        return False
    _record_without_redis(event, position, at)
    return True


def _schedule(event, shard_to_flush):
    if shard_to_flush is not None:
        try:
            schedule_flush(event.pk, shard_to_flush)
        except Exception as e:  # the joins wait in Redis for pretix's periodic run
            outage.report("flush", e)


def _record_without_redis(event, position, at):
    if checked_in(event, position.pk):
        return
    try:
        record_join_task.apply_async(kwargs={"event": event.pk, "position_id": position.pk, "at": at.isoformat()})
    except Exception as e:  # the task queue is unreachable
        outage.report("queue", e)
        try:
            record_joins(event, {position.pk: at})
        except Exception as e:  # the redirect matters more than the check-in list
            outage.report("record", e)


def join_redirect(target):
    response = HttpResponseRedirect(target)
    add_never_cache_headers(response)
    # The personal link must not travel on as a Referer to the meeting service.
    response["Referrer-Policy"] = "no-referrer"
    # A redirect has no content to protect: it needs no Content-Security-Policy (the join page's
    # own policy allows its form to lead to the meeting).
    return without_content_security_policy(response)


# Set on the request by the main-domain route when it counted the POST and found it over the
# limit before handing it over (so that it is not counted twice).
OVER_LIMIT = "_innowerkstatt_join_over_limit"


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
            "room": self.meeting.room(self.position, self.state.now) if self.state.can_join else None,
            # Before and during the conference: the agenda of the day, the running item marked "Now".
            "agenda": (
                join_agenda(self.request.event, self.position.subevent, self.state.now)
                if self.state.can_join or self.state.waiting
                else []
            ),
        }
        response = render(self.request, TEMPLATE, ctx, status=status)
        # The meeting may be on http://; pretix's CSP allows form targets on https: only.
        add_content_security_policy(self.request, {"form-action": ["http:", "https:"]}, response=response)
        return response

    def get(self, request, *args, **kwargs):
        return self.render_page()

    def post(self, request, *args, **kwargs):
        # Refused POSTs count towards the limit as well, but join nobody.
        if getattr(request, OVER_LIMIT, False) or ratelimit.limited(self.position.pk):
            return self.render_page(status=429, rate_limited=True)
        if not self.state.can_join:
            return self.render_page(status=403)
        try:
            target = self.meeting.redirect_url(self.position)
        except ProviderUnavailable:  # logged by the provider; the attendee may simply try again
            return render(request, UNREACHABLE_TEMPLATE, {"event": request.event}, status=503)
        note_join(request.event, self.position, self.state.now)
        return join_redirect(target)


# The join link's route as pretix sets up every plugin page under /<organizer>/<event>/: event and
# organiser from the URL, custom domains, shop offline or in test mode, languages, and the
# process_request/process_response signals of the event's plugins.
event_join_view = event_view(JoinView.as_view(), require_plugin=PLUGIN)


def fast_join(request, organizer, event, order, position, secret):
    """The join POST of a live event on the main domain, or None to hand it over to ``event_join_view``.

    At the start of an event the whole audience sends this POST within seconds. pretix's event
    handling costs several times the join itself (event lookup, custom-domain and sales-channel
    checks, locales, a second URL resolution), so the common case – the right secret, the ticket
    may join now, a live shop without custom domains, plugin active – is answered here with one
    query (join_lookup.py) and two Redis round trips: the settings (cache), and the POST counted
    on pretix's rate-limit counter together with the noted join (one Lua script).
    Everything else (wrong links: 404, refusals with their explanation, rate limit page, test
    mode, custom domains) goes through pretix's handling, which renders the page in the
    attendee's language. CSRF is checked by pretix's middleware
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
        prefetch_settings(the_event.settings)
        meeting = meeting_for(the_event, found.subevent_id, found.item_id)
        if join_refusal(found, access_rules(the_event), meeting, at, the_event):
            return None
        request.event, request.organizer = the_event, the_event.organizer
        for __, response in process_request.send(the_event, request=request):
            if response:
                return response
        try:
            target = meeting.redirect_url(found)
        except ProviderUnavailable:  # pretix's handling renders the 503 page in the attendee's language
            return None
        # Counted after the provider answered: a POST that gets the 503 page is counted once, by
        # JoinView, and no join is noted for it.
        if not count_and_note_join(the_event, found, at):
            setattr(request, OVER_LIMIT, True)
            return None
        response = join_redirect(target)
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
