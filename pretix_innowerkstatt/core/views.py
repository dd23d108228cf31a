from django.views.generic import TemplateView

from . import overview
from .permissions import EventPluginPermissionMixin


class OverviewView(EventPluginPermissionMixin, TemplateView):
    """The plugin's landing page in the event backend: one card per capability."""

    permission = None  # any access to the event may read it
    template_name = "pretix_innowerkstatt/core/overview.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["cards"] = overview.cards(self.request.event, self.request)
        return ctx
