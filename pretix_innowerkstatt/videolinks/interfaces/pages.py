"""The "Join video conference" panel on pretix's order and ticket pages."""

from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.timezone import now

from ...compat import add_content_security_policy
from ..domain.attendees import for_order
from ..domain.config import access_rules
from ..domain.presentation import join_state

# Set on the request when a page shows a join link, so process_response can forbid caching it.
REQUEST_FLAG = "_innowerkstatt_join_link_shown"


def join_panels(request, event, order, position=None) -> str:
    accesses = for_order(event, order, position)
    if not accesses:
        return ""
    rules = access_rules(event)
    at = now()
    template = get_template("pretix_innowerkstatt/videolinks/fragment_join_panel.html")
    html = []
    for index, a in enumerate(accesses):
        state = join_state(a.position, rules, a.meeting, at, event)
        ctx = {
            "include_countdown_script": index == 0,
            "event": event,
            "position": a.position,
            "subevent": a.position.subevent,
            "state": state,
            "meeting": a.meeting,
            # Dial-in, meeting ID and passcode only while the conference is open (phone PINs are credentials).
            "show_credentials": state.can_join,
            "join_action": a.link,
        }
        html.append(template.render(ctx, request=request))
    setattr(request, REQUEST_FLAG, True)
    # The join POST may redirect to an http:// meeting; pretix's CSP allows https: form targets only.
    add_content_security_policy(request, {"form-action": ["http:", "https:"]})
    return mark_safe("".join(html))  # each part is a rendered (auto-escaped) template


def forbid_caching(request, response):
    if getattr(request, REQUEST_FLAG, False):
        from django.utils.cache import add_never_cache_headers

        add_never_cache_headers(response)
    return response
