from django.urls import path
from pretix.api.urls import event_router, orga_router

from . import views, views_interop
from .interfaces.api import AgendaItemViewSet, SpeakerViewSet

_event = "control/event/<str:organizer>/<str:event>/innowerkstatt/agenda/"
_organizer = "control/organizer/<str:organizer>/innowerkstatt/speakers/"

urlpatterns = [
    path(_event, views.AgendaView.as_view(), name="agenda"),
    path(_event + "settings/", views.AgendaSettingsView.as_view(), name="agenda.settings"),
    path(_event + "copy/", views.AgendaCopyView.as_view(), name="agenda.copy"),
    path(_event + "shift/", views.AgendaShiftView.as_view(), name="agenda.shift"),
    path(_event + "import/", views_interop.ScheduleImportView.as_view(), name="agenda.import"),
    path(_organizer, views.SpeakerListView.as_view(), name="speakers"),
    path(_organizer + "add/", views.SpeakerCreateView.as_view(), name="speaker.add"),
    path(_organizer + "<int:pk>/", views.SpeakerUpdateView.as_view(), name="speaker.edit"),
    path(_organizer + "<int:pk>/delete/", views.SpeakerDeleteView.as_view(), name="speaker.delete"),
]
event_patterns = [
    # Public files; per date under /<date id>/ like pretix's own date pages.
    path("innowerkstatt/agenda.ics", views_interop.AgendaIcsView.as_view(), name="agenda.ics"),
    path("<int:subevent>/innowerkstatt/agenda.ics", views_interop.AgendaIcsView.as_view(), name="agenda.ics"),
    path("innowerkstatt/schedule.json", views_interop.ScheduleJsonView.as_view(), name="agenda.json"),
    path("<int:subevent>/innowerkstatt/schedule.json", views_interop.ScheduleJsonView.as_view(), name="agenda.json"),
]
organizer_patterns = []

# REST API on pretix's routers: /api/v1/organizers/<organizer>/[events/<event>/]innowerkstatt/…
event_router.register(r"innowerkstatt/agenda", AgendaItemViewSet, basename="innowerkstatt-agenda")
orga_router.register(r"innowerkstatt/speakers", SpeakerViewSet, basename="innowerkstatt-speakers")
