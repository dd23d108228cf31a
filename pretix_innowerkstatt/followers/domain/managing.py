"""The organiser's side: saving a format's announcement settings (logged)."""

from django.db import transaction

from .. import logtypes


@transaction.atomic
def save_settings(follow_settings, changed: list[str], *, user=None, auth=None) -> None:
    if not changed and follow_settings.pk:
        return
    follow_settings.save()
    follow_settings.format.log_action(logtypes.SETTINGS_CHANGED, user=user, auth=auth, data={"changed": changed})
