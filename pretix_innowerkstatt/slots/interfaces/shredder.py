"""pretix's data shredder for the presenters that came from this event's orders.

Speakers created from an order (not those matched by email, who were in the directory before)
are deleted, with their place on the agenda; the presentations' titles stay. People who are also
on the agenda of another event stay in the directory.
"""

import json

from django.utils.translation import gettext_lazy as _
from django_scopes import scope
from pretix.base.shredder import BaseDataShredder

from ...agenda.domain.editing import delete_speaker
from ...agenda.models import Speaker


def order_speakers(event, orders=None):
    """Speakers created from ``event``'s orders (or just ``orders``) and on no other event's agenda."""
    speakers = Speaker.objects.filter(
        innowerkstatt_presentations__product__event=event, innowerkstatt_presentations__speaker_from_order=True
    )
    if orders is not None:
        speakers = speakers.filter(innowerkstatt_presentations__position__order__in=orders)
    return list(speakers.exclude(agenda_links__item__event__in=event.organizer.events.exclude(pk=event.pk)).distinct())


class PresenterShredder(BaseDataShredder):
    verbose_name = _("Presenters of presentation slots")
    identifier = "innowerkstatt_slot_presenters"
    description = _("Removes the presenters that were added to the speaker directory from orders of this event.")

    def generate_files(self):
        with scope(organizer=self.event.organizer):
            people = [{"name": s.name, "email": s.email} for s in order_speakers(self.event)]
        yield "innowerkstatt-slot-presenters.json", "application/json", json.dumps(people, indent=2)

    def shred_data(self, progress_callback=None):
        with scope(organizer=self.event.organizer):
            for speaker in order_speakers(self.event):
                delete_speaker(speaker, log_data={"shredded": True})
