"""Hooks other capabilities attach to agenda items, below the models and the write path.

The item's ``clean()`` (models) and ``editing.save_item`` both ask ``check_item``, so it lives
here, importing neither: the models and the write path import this module, never each other's
way round.
"""

from django.dispatch import Signal

# Sent before an item is stored (``sender`` its event, ``item`` with its new values), and by the
# item's ``clean()`` so the editor shows the refusal next to the item. Capabilities that own some
# items (presentation slots) raise ``ValidationError`` from a receiver to refuse a change.
item_checked = Signal()


def check_item(item) -> None:
    """Raise ``ValidationError`` when a capability refuses ``item``'s new values (``item_checked``)."""
    if item.event_id is not None:
        item_checked.send(sender=item.event, item=item)
