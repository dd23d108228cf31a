from django.urls import path

from . import views

CONTROL = "control/event/<str:organizer>/<str:event>/innowerkstatt/video/"

urlpatterns = [
    # The join link again, at the root of pretix's main domain, where plugin routes are resolved
    # before pretix's event pages: the join POST at the start of an event skips pretix's event
    # handling (views.join_on_main_domain). Same path as the event route below, which stays for
    # custom shop domains and for reversing ("plugins:pretix_innowerkstatt:join"). First in the
    # list: Django and pretix's middlewares resolve a request's URL four times, each trying every
    # route before the one that matches.
    path(
        "<str:organizer>/<str:event>/innowerkstatt/join/<str:order>/<int:position>/<str:secret>/",
        views.join_on_main_domain,
        name="join.main_domain",
    ),
    path(CONTROL, views.VideoSettingsView.as_view(), name="videolinks.settings"),
    path(CONTROL + "details/add/", views.OverrideEditView.as_view(), name="videolinks.override.add"),
    path(CONTROL + "details/<int:pk>/", views.OverrideEditView.as_view(), name="videolinks.override.edit"),
    path(CONTROL + "details/<int:pk>/delete/", views.OverrideDeleteView.as_view(), name="videolinks.override.delete"),
    path(CONTROL + "test/", views.TestLinkView.as_view(), name="videolinks.test"),
    path(CONTROL + "joins/", views.JoinCountsView.as_view(), name="videolinks.joins"),
    path(CONTROL + "notify/", views.AccessUpdateView.as_view(), name="videolinks.notify"),
    path(CONTROL + "reminders/", views.RemindersView.as_view(), name="videolinks.reminders"),
]

event_patterns = [
    # The attendee's personal join link; GET shows the page, POST joins (see views.JoinView).
    path(
        "innowerkstatt/join/<str:order>/<int:position>/<str:secret>/",
        views.JoinView.as_view(),
        name="join",
    ),
]

organizer_patterns = []
