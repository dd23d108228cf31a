"""The long-running "create editions" job, on pretix's Celery app with progress for its waiting page."""

from django.utils import translation
from pretix.base.services.tasks import ProfiledOrganizerUserTask
from pretix.celery_app import app

from .domain import creation
from .domain.errors import FormatError
from .models import Format


@app.task(base=ProfiledOrganizerUserTask, bind=True, throws=(FormatError,))
def create_editions(
    self, organizer, user, format_id: int, extend_by: int = 0, locale: str = "en", session_key: str | None = None
) -> dict:
    def progress(done, total):
        if not self.request.called_directly:
            self.update_state(state="PROGRESS", meta={"value": round(100 * done / total)})

    with translation.override(locale):
        fmt = Format.objects.select_related("template_event", "template_subevent").get(
            organizer=organizer, pk=format_id
        )
        return creation.create_editions(
            fmt, user=user, session_key=session_key, extend_by=extend_by, progress=progress
        ).as_dict()
