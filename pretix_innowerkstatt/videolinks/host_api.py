"""``/api/v1/organizers/<organizer>/events/<event>/innowerkstatt/hosts/``: the hosts and their links.

Read-only, for tokens and users with the event-settings permission (the same as the backend's
*Hosts* page): the only place outside the backend where the private email and the link appear.
"""

from django.http import Http404
from rest_framework import mixins, viewsets
from rest_framework.response import Response

from ..core.permissions import plugin_active_for_event
from . import permissions
from .domain import hosts


class HostViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission = permissions.CHANGE_SETTINGS

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not plugin_active_for_event(request.event):
            raise Http404()

    def get_queryset(self):  # pretix's API machinery asks for it; the list is built below
        from ..agenda.models import Speaker

        return Speaker.objects.none()

    def list(self, request, *args, **kwargs):
        event = request.event
        results = [
            {
                "id": person.pk,
                "name": person.name,
                "email": person.email,
                "locale": person.locale,
                "host_link": hosts.host_url(event, person),
                "agenda_items": [
                    {"id": item.pk, "title": str(item.title), "start": item.start.isoformat()} for item in items
                ],
            }
            for person, items in hosts.hosts(event)
        ]
        return Response({"count": len(results), "next": None, "previous": None, "results": results})
