"""The pretix permissions the agenda asks for; nothing else in the agenda spells them out."""

# Change the agenda of an event and its dates (editor, API, import, copy, shift, settings).
EDIT_AGENDA = "event.settings.general:write"
# Change the organiser's speaker directory (pages and API).
EDIT_SPEAKERS = "organizer.settings.general:write"
