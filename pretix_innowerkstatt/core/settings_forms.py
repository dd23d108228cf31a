"""Saving a capability's event settings form (pretix's ``SettingsForm``): one place that saves and logs."""


def save_event_settings(form, event, *, user, action_type) -> bool:
    """Stores what the organiser changed and logs those values once; an unchanged form stores and logs nothing.

    Returns whether anything changed.
    """
    if not form.has_changed():
        return False
    form.save()
    event.log_action(action_type, user=user, data={k: form.cleaned_data[k] for k in form.changed_data})
    return True
