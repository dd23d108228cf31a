"""What the slots page shows of one slot product: its slots with their presentations, and who waits."""

from dataclasses import dataclass, field

from ..models import PresentationSlot
from .placement import placed_items, slot_times
from .setup import approval_missing, own_quotas, quota_in_step


@dataclass
class SlotRow:
    index: int
    start: object
    end: object
    items: list = field(default_factory=list)


@dataclass
class ProductStatus:
    product: object
    rows: list
    waiting: list
    slot_count: int
    quota_in_step: bool
    own_quotas: list
    approval_missing: bool

    @property
    def free(self) -> list:
        return [row for row in self.rows if not row.items]


def product_status(product) -> ProductStatus:
    items = placed_items(product)
    rows = [SlotRow(index=i, start=s, end=e) for i, (s, e) in enumerate(slot_times(product))]
    for row in rows:
        row.items = [item for item in items if item.start < row.end and row.start < (item.end or row.end)]
    waiting = list(
        PresentationSlot.objects.filter(product=product, agenda_item__isnull=True, position__canceled=False)
        .exclude(position__order__status="c")
        .select_related("position__order", "speaker")
    )
    return ProductStatus(
        product=product,
        rows=rows,
        waiting=waiting,
        slot_count=len(rows),
        quota_in_step=quota_in_step(product),
        own_quotas=own_quotas(product),
        approval_missing=approval_missing(product),
    )
