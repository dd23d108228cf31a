from django.urls import path

from .views import OverviewView

urlpatterns = [
    path(
        "control/event/<str:organizer>/<str:event>/innowerkstatt/",
        OverviewView.as_view(),
        name="overview",
    ),
]
