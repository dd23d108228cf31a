"""Backend view guards shared by every capability.

pretix checks the user's permission for control views, but not whether a plugin is active
there: these mixins add that, so a disabled plugin's pages answer 404 like its shop pages do.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from pretix.control.permissions import EventPermissionRequiredMixin, OrganizerPermissionRequiredMixin

# The plugin's module name, as pretix stores it in Event.plugins and Organizer.plugins (the name of
# the package; apps.PluginApp.name is the same). Spelled out from the package, not imported from
# apps.py, so that importing a view guard does not import the app configuration.
PLUGIN = __name__.split(".")[0]


def plugin_active_for_organizer(organizer) -> bool:
    return PLUGIN in organizer.get_plugins()


def plugin_active_for_event(event) -> bool:
    return PLUGIN in event.get_plugins() and plugin_active_for_organizer(event.organizer)


# Requests that only read, as pretix's API permission check counts them.
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
NOT_ALLOWED_TO_CHANGE = _("You do not have permission to change this.")


class _PluginPageGuard:
    """404 where the plugin is off; ``write_permission`` (if set) for every changing request."""

    write_permission = None

    def _plugin_active_here(self, request) -> bool:
        raise NotImplementedError

    def _may_change_here(self, request) -> bool:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if not self._plugin_active_here(request):
            raise Http404()
        if self.write_permission and request.method not in SAFE_METHODS and not self._may_change_here(request):
            raise PermissionDenied(NOT_ALLOWED_TO_CHANGE)
        return super().dispatch(request, *args, **kwargs)


class EventPluginPermissionMixin(_PluginPageGuard, EventPermissionRequiredMixin):
    """``permission`` as in pretix (``None``: any access to the event), plus plugin active.

    ``write_permission``, if set, is needed in addition for POST and other changing requests: a
    page that everyone with access may read but only some may change declares both, as pretix's
    API views do (tests/core/test_permission_matrix.py reads them).
    """

    def _plugin_active_here(self, request) -> bool:
        return plugin_active_for_event(request.event)

    def _may_change_here(self, request) -> bool:
        return request.user.has_event_permission(
            request.organizer, request.event, self.write_permission, request=request
        )


class OrganizerPluginPermissionMixin(_PluginPageGuard, OrganizerPermissionRequiredMixin):
    """``permission`` as in pretix (``None``: any access to the organiser), plus plugin active.

    ``write_permission`` as in ``EventPluginPermissionMixin``, an organiser permission.
    """

    def _plugin_active_here(self, request) -> bool:
        return plugin_active_for_organizer(request.organizer)

    def _may_change_here(self, request) -> bool:
        return request.user.has_organizer_permission(request.organizer, self.write_permission, request=request)
