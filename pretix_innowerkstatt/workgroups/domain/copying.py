"""Groups travel with their work-phase item whenever an agenda is copied (without their members)."""

from ..models import WorkGroup


def copy_groups(target_event, pairs) -> int:
    """Copy the groups of each original item of ``pairs`` ``[(original, copy), …]`` onto its copy.

    Hosts stay only within one organiser (the speaker directory is the organiser's). Two queries.
    """
    by_item = {original.pk: copy for original, copy in pairs if original.pk and original.kind == copy.kind}
    if not by_item:
        return 0
    originals = WorkGroup.objects.filter(item_id__in=list(by_item)).select_related("event")
    copies = [
        WorkGroup(
            event=target_event,
            item=by_item[group.item_id],
            name=group.name,
            description=group.description,
            capacity=group.capacity,
            host_id=group.host_id if group.event.organizer_id == target_event.organizer_id else None,
            meeting_url=group.meeting_url,
            room_name=group.room_name,
            position=group.position,
        )
        for group in originals
    ]
    WorkGroup.objects.bulk_create(copies)
    return len(copies)
