from django.views.generic import TemplateView

from ..agenda import overview as agenda_overview
from ..formats import overview as formats_overview
from ..videolinks import overview as videolinks_overview
from .permissions import EventPluginPermissionMixin


class OverviewView(EventPluginPermissionMixin, TemplateView):
    """The plugin's landing page in the event backend: one card per capability."""

    permission = None  # any access to the event may read it
    template_name = "pretix_innowerkstatt/core/overview.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        event = self.request.event
        ctx["cards"] = [
            module.card(event, self.request) for module in (agenda_overview, videolinks_overview, formats_overview)
        ]
        return ctx
