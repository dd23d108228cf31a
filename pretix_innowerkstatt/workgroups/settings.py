"""Work-phase group settings of an event, declared once with their defaults (hierarkey)."""

from pretix.base.settings import settings_hierarkey

# "Assign me" tickets are placed in the least full groups this many minutes before the work phase
# starts (0: only when the organiser presses "Assign the rest").
AUTO_ASSIGN_MINUTES = "innowerkstatt_workgroups_auto_assign_minutes"
settings_hierarkey.add_default(AUTO_ASSIGN_MINUTES, 30, int)

# The group room is used from this many minutes before the work phase starts (the join page and
# the join POST lead there from then on).
ROOM_MINUTES_BEFORE = "innowerkstatt_workgroups_room_minutes_before"
settings_hierarkey.add_default(ROOM_MINUTES_BEFORE, 5, int)

# Attendees may change their group on the order page until this many minutes before the start of
# the event or date (0: until the start).
CHANGE_DEADLINE_MINUTES = "innowerkstatt_workgroups_change_deadline_minutes"
settings_hierarkey.add_default(CHANGE_DEADLINE_MINUTES, 0, int)
