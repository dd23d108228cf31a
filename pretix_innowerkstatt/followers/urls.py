from django.urls import path

from . import views

_organizer = "control/organizer/<str:organizer>/innowerkstatt/formats/<slug:slug>/followers/"

urlpatterns = [
    path(_organizer, views.FollowersView.as_view(), name="followers"),
    path(_organizer + "announce/<int:edition>/", views.AnnounceView.as_view(), name="followers.announce"),
]
event_patterns = []
organizer_patterns = [
    # Public: /<organizer>/innowerkstatt/formats/<format>/
    path("innowerkstatt/formats/<slug:slug>/", views.FormatPageView.as_view(), name="followers.page"),
    path(
        "innowerkstatt/formats/<slug:slug>/confirm/<str:token>/", views.ConfirmView.as_view(), name="followers.confirm"
    ),
    path(
        "innowerkstatt/formats/<slug:slug>/unsubscribe/<str:token>/",
        views.UnsubscribeView.as_view(),
        name="followers.unsubscribe",
    ),
]
