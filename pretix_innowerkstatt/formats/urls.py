from django.urls import path
from pretix.api.urls import orga_router

from . import views
from .interfaces.api import FormatViewSet

_organizer = "control/organizer/<str:organizer>/innowerkstatt/formats/"

urlpatterns = [
    path(_organizer, views.FormatListView.as_view(), name="formats"),
    path(_organizer + "add/", views.FormatCreateView.as_view(), name="formats.add"),
    path(_organizer + "editions/publish/", views.FormatPublishView.as_view(), name="formats.publish"),
    path(_organizer + "<slug:slug>/", views.FormatUpdateView.as_view(), name="formats.edit"),
    path(_organizer + "<slug:slug>/preview/", views.FormatPreviewView.as_view(), name="formats.preview"),
    path(_organizer + "<slug:slug>/create/", views.FormatCreateEditionsView.as_view(), name="formats.create"),
    path(_organizer + "<slug:slug>/delete/", views.FormatDeleteView.as_view(), name="formats.delete"),
]
event_patterns = []
organizer_patterns = [
    # Public: /<organizer>/innowerkstatt/formats/<format>.ics
    path("innowerkstatt/formats/<slug:slug>.ics", views.SeriesCalendarView.as_view(), name="formats.ics"),
]

# REST API: /api/v1/organizers/<organizer>/innowerkstatt/formats/
orga_router.register(r"innowerkstatt/formats", FormatViewSet, basename="innowerkstatt-formats")
