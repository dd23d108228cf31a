"""Addresses of the followers' public pages."""

from ...compat import eventreverse_absolute

PAGE = "plugins:pretix_innowerkstatt:followers.page"


def public_page_url(fmt) -> str:
    """``/<organizer>/innowerkstatt/formats/<slug>/``, absolute (custom domains included)."""
    return eventreverse_absolute(fmt.organizer, PAGE, kwargs={"slug": fmt.slug})
