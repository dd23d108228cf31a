from django.urls import path

from .views import JoinView

urlpatterns = []

event_patterns = [
    path(
        "innowerkstatt/join/<str:order>/<int:position>/<str:secret>/",
        JoinView.as_view(),
        name="join",
    ),
]

organizer_patterns = []
