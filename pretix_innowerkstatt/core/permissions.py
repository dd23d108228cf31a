"""Backend view guards shared by every capability.

pretix checks the user's permission for control views, but not whether a plugin is active
there: these mixins add that, so a disabled plugin's pages answer 404 like its shop pages do.
"""

from django.http import Http404
from pretix.control.permissions import EventPermissionRequiredMixin, OrganizerPermissionRequiredMixin

from ..apps import PluginApp

PLUGIN = PluginApp.name


def plugin_active_for_organizer(organizer) -> bool:
    return PLUGIN in organizer.get_plugins()


def plugin_active_for_event(event) -> bool:
    return PLUGIN in event.get_plugins() and plugin_active_for_organizer(event.organizer)


class EventPluginPermissionMixin(EventPermissionRequiredMixin):
    """``permission`` as in pretix (``None``: any access to the event), plus plugin active."""

    def dispatch(self, request, *args, **kwargs):
        if not plugin_active_for_event(request.event):
            raise Http404()
        return super().dispatch(request, *args, **kwargs)


class OrganizerPluginPermissionMixin(OrganizerPermissionRequiredMixin):
    """``permission`` as in pretix (``None``: any access to the organiser), plus plugin active."""

    def dispatch(self, request, *args, **kwargs):
        if not plugin_active_for_organizer(request.organizer):
            raise Http404()
        return super().dispatch(request, *args, **kwargs)
