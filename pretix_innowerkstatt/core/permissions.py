"""Backend view guards shared by every capability.

pretix checks the user's permission for control views, but not whether a plugin is active
there: these mixins add that, so a disabled plugin's pages answer 404 like its shop pages do.
"""

from django.http import Http404
from pretix.control.permissions import EventPermissionRequiredMixin, OrganizerPermissionRequiredMixin

# The plugin's module name, as pretix stores it in Event.plugins and Organizer.plugins (the name of
# the package; apps.PluginApp.name is the same). Spelled out from the package, not imported from
# apps.py, so that importing a view guard does not import the app configuration.
PLUGIN = __name__.split(".")[0]


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
