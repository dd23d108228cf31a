from django.urls import path
from pretix.api.urls import event_router

from . import views
from .interfaces.api import WorkGroupViewSet

_event = "control/event/<str:organizer>/<str:event>/innowerkstatt/agenda/groups/"

# URL names start with "agenda" so that the Agenda menu entry stays marked on these pages.
urlpatterns = [
    path(_event, views.GroupListView.as_view(), name="agenda_groups"),
    path(_event + "add/", views.GroupEditView.as_view(), name="agenda_groups.add"),
    path(_event + "settings/", views.GroupSettingsView.as_view(), name="agenda_groups.settings"),
    path(_event + "<int:pk>/", views.GroupEditView.as_view(), name="agenda_groups.edit"),
    path(_event + "<int:pk>/delete/", views.GroupDeleteView.as_view(), name="agenda_groups.delete"),
]

event_patterns = [
    # The attendee changes the group of a ticket from the order page (POST only).
    path(
        "innowerkstatt/group/<str:order>/<int:position>/<str:secret>/",
        views.AttendeeChooseView.as_view(),
        name="workgroups.choose",
    ),
]

organizer_patterns = []

# REST API: /api/v1/organizers/<organizer>/events/<event>/innowerkstatt/groups/
event_router.register(r"innowerkstatt/groups", WorkGroupViewSet, basename="innowerkstatt-groups")
