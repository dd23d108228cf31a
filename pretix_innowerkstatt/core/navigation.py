from django.urls import resolve, reverse


def event_nav_entry(request, label, url_name, icon, url_prefix, children=()):
    """One entry for pretix's event navigation, marked active on our own pages.

    ``url_prefix`` is the start of the URL names that belong to the entry, so each
    capability highlights only its own pages.
    """
    match = resolve(request.path_info)
    kwargs = {"organizer": request.organizer.slug, "event": request.event.slug}
    return {
        "label": label,
        "url": reverse(f"plugins:pretix_innowerkstatt:{url_name}", kwargs=kwargs),
        "icon": icon,
        "active": (match.namespace == "plugins:pretix_innowerkstatt" and (match.url_name or "").startswith(url_prefix)),
        "children": list(children),
    }
