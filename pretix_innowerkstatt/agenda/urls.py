from django.urls import path

from . import views

_event = "control/event/<str:organizer>/<str:event>/innowerkstatt/agenda/"
_organizer = "control/organizer/<str:organizer>/innowerkstatt/speakers/"

urlpatterns = [
    path(_event, views.AgendaView.as_view(), name="agenda"),
    path(_event + "settings/", views.AgendaSettingsView.as_view(), name="agenda.settings"),
    path(_event + "copy/", views.AgendaCopyView.as_view(), name="agenda.copy"),
    path(_event + "shift/", views.AgendaShiftView.as_view(), name="agenda.shift"),
    path(_organizer, views.SpeakerListView.as_view(), name="speakers"),
    path(_organizer + "add/", views.SpeakerCreateView.as_view(), name="speaker.add"),
    path(_organizer + "<int:pk>/", views.SpeakerUpdateView.as_view(), name="speaker.edit"),
    path(_organizer + "<int:pk>/delete/", views.SpeakerDeleteView.as_view(), name="speaker.delete"),
]
event_patterns = []
organizer_patterns = []
