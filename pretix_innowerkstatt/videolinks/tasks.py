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
