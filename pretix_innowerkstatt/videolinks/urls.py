from django.urls import path
from pretix.api.urls import event_router

from . import attendee_views, backend_views, host_api, host_views
from .join_route import JOIN_PATH

CONTROL = "control/event/<str:organizer>/<str:event>/innowerkstatt/video/"

urlpatterns = [
    # The join link again, at the root of pretix's main domain, where plugin routes are resolved
    # before pretix's event pages: the join POST at the start of an event skips pretix's event
    # handling (attendee_views.join_on_main_domain). Same path as the event route below, which stays for
    # custom shop domains and for reversing ("plugins:pretix_innowerkstatt:join").
    path(JOIN_PATH, attendee_views.join_on_main_domain, name="join.main_domain"),
    path(CONTROL, backend_views.VideoSettingsView.as_view(), name="videolinks.settings"),
    path(CONTROL + "details/add/", backend_views.OverrideEditView.as_view(), name="videolinks.override.add"),
    path(CONTROL + "details/<int:pk>/", backend_views.OverrideEditView.as_view(), name="videolinks.override.edit"),
    path(
        CONTROL + "details/<int:pk>/delete/",
        backend_views.OverrideDeleteView.as_view(),
        name="videolinks.override.delete",
    ),
    path(CONTROL + "test/", backend_views.TestLinkView.as_view(), name="videolinks.test"),
    path(CONTROL + "joins/", backend_views.JoinCountsView.as_view(), name="videolinks.joins"),
    path(CONTROL + "notify/", backend_views.AccessUpdateView.as_view(), name="videolinks.notify"),
    path(CONTROL + "reminders/", backend_views.RemindersView.as_view(), name="videolinks.reminders"),
    path(CONTROL + "hosts/", host_views.HostsView.as_view(), name="videolinks.hosts"),
]

event_patterns = [
    # The attendee's personal join link; GET shows the page, POST joins (see attendee_views.JoinView).
    path(
        "innowerkstatt/join/<str:order>/<int:position>/<str:secret>/",
        attendee_views.JoinView.as_view(),
        name="join",
    ),
    # A host's personal link (people on the agenda); GET shows the page, POST joins as moderator.
    path("innowerkstatt/host/<int:speaker>/<str:secret>/", host_views.HostView.as_view(), name="host"),
]

organizer_patterns = []

# Read-only REST API: /api/v1/organizers/<organizer>/events/<event>/innowerkstatt/hosts/
event_router.register(r"innowerkstatt/hosts", host_api.HostViewSet, basename="innowerkstatt-hosts")
