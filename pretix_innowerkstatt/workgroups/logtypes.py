"""Readable lines in pretix's event and order logs for every group change and every assignment."""

from django.utils.translation import gettext_lazy as _
from pretix.base.logentrytypes import EventLogEntryType, OrderLogEntryType, log_entry_types

from .models import WorkGroup

GROUP_ADDED = "pretix_innowerkstatt.workgroups.group.added"
GROUP_CHANGED = "pretix_innowerkstatt.workgroups.group.changed"
GROUP_DELETED = "pretix_innowerkstatt.workgroups.group.deleted"
REST_ASSIGNED = "pretix_innowerkstatt.workgroups.rest_assigned"
SETTINGS_CHANGED = "pretix_innowerkstatt.workgroups.settings.changed"
# On the order: one line per ticket whose group changed.
MEMBER_CHOSEN = "pretix_innowerkstatt.workgroups.member.chosen"
MEMBER_MOVED = "pretix_innowerkstatt.workgroups.member.moved"
MEMBER_ASSIGNED = "pretix_innowerkstatt.workgroups.member.assigned"
MEMBER_LEFT = "pretix_innowerkstatt.workgroups.member.left"


@log_entry_types.new_from_dict(
    {
        GROUP_ADDED: _("Work-phase group “{name}” has been added."),
        GROUP_CHANGED: _("Work-phase group “{name}” has been changed."),
        GROUP_DELETED: _("Work-phase group “{name}” has been deleted ({moved} members moved to “{moved_to}”)."),
        REST_ASSIGNED: _("{count} tickets without a group have been assigned to the least full groups."),
        SETTINGS_CHANGED: _("The work-phase group settings have been changed."),
    }
)
class WorkGroupEventLogEntryType(EventLogEntryType):
    pass


@log_entry_types.new_from_dict(
    {
        MEMBER_CHOSEN: _("Ticket #{positionid} has chosen the work-phase group “{group}”."),
        MEMBER_MOVED: _("Ticket #{positionid} has been moved to the work-phase group “{group}”."),
        MEMBER_ASSIGNED: _("Ticket #{positionid} has been assigned to the work-phase group “{group}”."),
        MEMBER_LEFT: _("Ticket #{positionid} has left the work-phase group “{group}” (“assign me”)."),
    }
)
class WorkGroupOrderLogEntryType(OrderLogEntryType):
    def display(self, logentry, data):
        # A choice stored at checkout from a held place logs the group's id only (placing the
        # order reads no group): its name is looked up when the line is shown.
        if "group" not in data and "group_id" in data:
            group = WorkGroup.objects.filter(pk=data["group_id"], event_id=logentry.event_id).first()
            data = {**data, "group": str(group.name) if group else f"#{data['group_id']}"}
        return super().display(logentry, data)
