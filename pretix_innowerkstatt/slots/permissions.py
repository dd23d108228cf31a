"""The pretix permissions the presentation slots ask for; nothing else in the capability spells them out."""

# See and change the slot products, place presentations by hand (as the agenda itself).
VIEW_SLOTS = "event.settings.general:write"
MANAGE_SLOTS = "event.settings.general:write"
