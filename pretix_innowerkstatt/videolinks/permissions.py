"""The pretix permissions the video-link pages ask for (new-style names, pretix 2026.3 and later)."""

# The settings page, meeting details per date/product, test link and reminder rules.
CHANGE_SETTINGS = "event.settings.general:write"
# The per-date join counts.
VIEW_ORDERS = "event.orders:read"
# Sending "updated access information" to every attendee.
CHANGE_ORDERS = "event.orders:write"
