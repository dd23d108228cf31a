"""Background work of the video links (Celery; pretix runs it eagerly when Celery is off)."""

import dateutil.parser
from django.utils.timezone import now
from django_scopes import scopes_disabled
from pretix.base.models import Event
from pretix.base.services.tasks import ProfiledEventTask
from pretix.celery_app import app

from .domain import pending
from .domain.checkin import record_joins


@app.task(base=ProfiledEventTask, bind=True, acks_late=True, max_retries=5)
def record_join_task(self, event, position_id: int, at: str):
    """The check-in for one join, off the hot path of the redirect (without Redis, or while it is unreachable)."""
    try:
        return record_joins(event, {position_id: dateutil.parser.isoparse(at)}) == 1
    except Exception as e:
        # pretix's check-in needs Redis where it is configured (log entries queue webhooks with a
        # priority counted there): try again a little later.
        countdown = pending.FLUSH_DELAY_SECONDS * 2 ** (self.request.retries + 1)
        raise self.retry(exc=e, countdown=countdown, kwargs={"event": event.pk, "position_id": position_id, "at": at})


@app.task(base=ProfiledEventTask, bind=True, acks_late=True, max_retries=5)
def flush_joins_task(self, event, shard: int = 0, due: float = None):
    """The check-ins of all joins of one shard noted in Redis for ``event`` since its last flush (domain/pending.py).

    ``due``: when this flush first became due (a timestamp); while the burst lasts it waits, up to
    ``MAX_WAIT_SECONDS`` from then.
    """
    at = now()
    due = due if due is not None else at.timestamp()
    if at.timestamp() - due < pending.MAX_WAIT_SECONDS and pending.burst_running(event.pk, at):
        schedule_flush(event.pk, shard, countdown=pending.QUIET_SECONDS, due=due)
        return None
    try:
        recorded = pending.flush(event, record_joins, shard)
    except Exception as e:
        # The joins stay in Redis; try again a little later (with the event's id: the task's own
        # arguments hold the Event that pretix's EventTask put there).
        countdown = pending.FLUSH_DELAY_SECONDS * 2 ** (self.request.retries + 1)
        raise self.retry(exc=e, countdown=countdown, kwargs=_flush_kwargs(event.pk, shard))
    if recorded is None:
        # Another flush of the shard is running; the joins noted after it read them are ours.
        schedule_flush(event.pk, shard)
    return recorded


def _flush_kwargs(event_pk: int, shard: int, due: float = None) -> dict:
    # Shard 0 as before shards: the same task arguments.
    kwargs = {"event": event_pk} if shard == 0 else {"event": event_pk, "shard": shard}
    if due is not None:
        kwargs["due"] = due
    return kwargs


def schedule_flush(event_pk: int, shard: int = 0, countdown: float = None, due: float = None):
    flush_joins_task.apply_async(
        kwargs=_flush_kwargs(event_pk, shard, due),
        countdown=pending.FLUSH_DELAY_SECONDS if countdown is None else countdown,
    )


def schedule_waiting_flushes():
    """pretix's periodic run: a flush for every event and shard whose noted joins wait without one on its way."""
    if not pending.available():
        return
    waiting = pending.events_waiting()
    with scopes_disabled():  # only which of these events still exist
        existing = set(Event.objects.filter(pk__in={e for e, _ in waiting}).values_list("pk", flat=True))
    for event_pk, shard in waiting:
        if event_pk in existing:
            schedule_flush(event_pk, shard)
        else:
            pending.forget_event(event_pk)


@app.task(base=ProfiledEventTask, bind=True, acks_late=True)
def send_access_update_task(self, event, user: int = None):
    """The "Updated access information" mailing, with progress for pretix's waiting page."""
    from pretix.base.models import User

    from .domain.notifications import send_access_update

    def progress(percentage):
        if not self.request.called_directly:
            self.update_state(state="PROGRESS", meta={"value": percentage})

    return send_access_update(event, user=User.objects.filter(pk=user).first() if user else None, progress=progress)
