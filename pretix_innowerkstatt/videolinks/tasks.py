"""Background work of the video links (Celery; pretix runs it eagerly when Celery is off)."""

import dateutil.parser
from pretix.base.models import OrderPosition
from pretix.base.services.tasks import ProfiledEventTask
from pretix.celery_app import app

from .domain.checkin import record_join


@app.task(base=ProfiledEventTask, acks_late=True)
def record_join_task(event, position_id: int, at: str):
    """The check-in for a join, off the hot path of the redirect."""
    position = OrderPosition.all.select_related("order", "item").filter(order__event=event, pk=position_id).first()
    if position is None:
        return False
    position.order.event = event
    return record_join(event, position, dateutil.parser.isoparse(at))


@app.task(base=ProfiledEventTask, bind=True, acks_late=True)
def send_access_update_task(self, event, user: int = None):
    """The "Updated access information" mailing, with progress for pretix's waiting page."""
    from pretix.base.models import User

    from .domain.notifications import send_access_update

    def progress(percentage):
        if not self.request.called_directly:
            self.update_state(state="PROGRESS", meta={"value": percentage})

    return send_access_update(event, user=User.objects.filter(pk=user).first() if user else None, progress=progress)
