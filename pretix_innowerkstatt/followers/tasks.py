"""Announcements in pretix's task queue: one task per edition, with progress for the waiting page."""

from pretix.base.models import User
from pretix.base.services.tasks import ProfiledEventTask
from pretix.celery_app import app

from ..formats.models import Edition
from .domain import announcing


@app.task(base=ProfiledEventTask, bind=True)
def announce_edition(self, event, edition_id: int, user: int | None = None) -> int:
    def progress(percent):
        if not self.request.called_directly:
            self.update_state(state="PROGRESS", meta={"value": percent})

    edition = Edition.objects.select_related("format", "format__organizer", "event", "subevent").get(
        pk=edition_id, event=event
    )
    return announcing.announce_edition(
        edition, user=User.objects.filter(pk=user).first() if user else None, progress=progress
    )


def announce_later(edition) -> None:
    """Queue the announcement of ``edition`` once the current transaction has committed."""
    from django.db import transaction

    event_id, edition_id = edition.event_id, edition.pk
    transaction.on_commit(lambda: announce_edition.apply_async(kwargs={"event": event_id, "edition_id": edition_id}))
