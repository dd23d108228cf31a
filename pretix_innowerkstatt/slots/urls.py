from django.urls import path

from . import views

_event = "control/event/<str:organizer>/<str:event>/innowerkstatt/slots/"

urlpatterns = [
    path(_event, views.SlotsView.as_view(), name="slots"),
    path(_event + "add/", views.SlotProductCreateView.as_view(), name="slots.add"),
    path(_event + "<int:pk>/", views.SlotProductUpdateView.as_view(), name="slots.edit"),
    path(_event + "<int:pk>/delete/", views.SlotProductDeleteView.as_view(), name="slots.delete"),
    path(_event + "place/", views.PlaceView.as_view(), name="slots.place"),
]
event_patterns = []
organizer_patterns = []
