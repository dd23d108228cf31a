"""The pretix permissions work-phase groups ask for; nothing else in the capability spells them out."""

# Define, change and delete groups, move people, assign the rest: as for the agenda.
EDIT_GROUPS = "event.settings.general:write"
# See the groups and who is in them (members are order data).
VIEW_MEMBERS = "event.orders:read"
