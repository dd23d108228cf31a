"""Who may do what with recurring formats: pretix's permission names and the rules built on them.

Every view, the API, the create task and the management command ask these functions; nothing
else spells out a permission of this capability. A "holder" is whatever pretix checks
permissions on: a ``User``, a ``TeamAPIToken`` or a ``Device`` (``None``: the system, e.g. the
command line without ``--user``).
"""

from django.db.models import Q
from django.utils.translation import gettext as _
from pretix.base.models import Device, TeamAPIToken, User

from .domain.errors import FormatError
from .domain.planning import MODE_DATES, MODE_EVENTS

# Managing formats (list, edit, preview, create editions) is creating events.
MANAGE_FORMATS = "organizer.events:create"
# Adding dates to an event series: what pretix's own date pages and date API require.
CHANGE_DATES = "event.subevents:write"
# Taking an event live: what pretix's EventLive view and the API's event update require.
TAKE_LIVE = "event.settings.general:write"


def holder_of(user=None, auth=None):
    """The one that pretix checks: the API token or device if there is one, else the user."""
    if isinstance(auth, (TeamAPIToken, Device)):
        return auth  # an OAuth token acts as its user
    if user is not None and getattr(user, "is_authenticated", False):
        return user
    return None


def _has_event_permission(holder, event, permission, *, request=None, session_key=None) -> bool:
    if holder is None:
        return True
    if isinstance(holder, User):
        # pretix detects staff sessions from the request or, in a task, from the session key
        return holder.has_event_permission(event.organizer, event, permission, request=request, session_key=session_key)
    return holder.has_event_permission(event.organizer, event, permission)


def accessible_events(organizer, holder, *, request=None):
    """The organiser's events the holder has any access to, by pretix's own rule (team event limits)."""
    if holder is None:
        return organizer.events.all()
    if isinstance(holder, User):
        events = holder.get_events_with_any_permission(request)
    else:
        events = holder.get_events_with_any_permission()
    return events.filter(organizer=organizer)


def visible_formats(queryset, organizer, holder, *, request=None):
    """Formats whose template event the holder may see; a format without template shows no event data."""
    return queryset.filter(
        Q(template_event__isnull=True) | Q(template_event__in=accessible_events(organizer, holder, request=request))
    )


def _has_organizer_permission(holder, organizer, permission, *, request=None, session_key=None) -> bool:
    if holder is None:
        return True
    if isinstance(holder, User):
        if session_key and holder.has_active_staff_session(session_key):
            return True  # what pretix's request-based check sees in a staff session
        return holder.has_organizer_permission(organizer, permission, request=request)
    return holder.has_organizer_permission(organizer, permission)


def check_may_create_editions(fmt, holder, *, request=None, session_key=None) -> None:
    """Raise FormatError unless the holder may have ``fmt`` create its editions.

    Managing formats is creating events. Any access to the template event lets pretix copy it
    within the organiser, which is what a separate-event edition does. Dates are different: they
    are added to the series itself, so they need pretix's permission to change that series' dates.
    """
    template = fmt.template_event
    if holder is None or template is None:
        return
    if not _has_event_permission(holder, template, None, request=request, session_key=session_key):
        raise FormatError(_("You have no access to the template event."))
    if not _has_organizer_permission(holder, fmt.organizer, MANAGE_FORMATS, request=request, session_key=session_key):
        raise FormatError(_("You may not create events for this organiser."))
    if fmt.mode == MODE_DATES and not _has_event_permission(
        holder, template, CHANGE_DATES, request=request, session_key=session_key
    ):
        raise FormatError(
            _("You may not change the dates of the event series “%(event)s”, so a format cannot add dates to it.")
            % {"event": template.name}
        )


def may_take_live(fmt, holder, *, request=None, session_key=None) -> bool:
    """Whether new editions of ``fmt`` may go live (events) or be active (dates) as the holder creates them.

    A separate-event edition gets the template's teams, so the permission on the template is the
    one the holder will have on the edition. Dates are activated with the series' date permission,
    which ``check_may_create_editions`` already requires.
    """
    template = fmt.template_event
    if template is None or fmt.mode != MODE_EVENTS:
        return True
    return _has_event_permission(holder, template, TAKE_LIVE, request=request, session_key=session_key)


def may_publish_edition(edition, holder, *, request=None) -> bool:
    """Whether the holder may take this existing edition live: pretix's live permission on its event,
    or, for a date, pretix's permission to change the series' dates (what its date form needs)."""
    if edition.event is None:
        return False
    permission = CHANGE_DATES if edition.subevent_id else TAKE_LIVE
    return _has_event_permission(holder, edition.event, permission, request=request)


def check_may_publish(fmt, holder, *, request=None) -> None:
    """Raise FormatError if ``fmt`` is set to publish its editions right away and the holder may not take them live."""
    if fmt.publish and not may_take_live(fmt, holder, request=request):
        raise FormatError(
            _(
                "You may not take events live (that needs the permission to change the template event's "
                "settings), so new editions cannot be published right away."
            )
        )
