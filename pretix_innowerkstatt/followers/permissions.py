"""Who may see and manage a format's followers: pretix's permission names, spelled out only here."""

# Seeing follower counts, the preview and the statistics: as for the formats pages.
VIEW_FOLLOWERS = "organizer.events:create"
# Changing the announcement text and switches, and sending announcements by hand.
MANAGE_FOLLOWERS = "organizer.events:create"
# The follower export (addresses and consent): personal data of the organiser, not of one event.
EXPORT_FOLLOWERS = "organizer.settings.general:write"
