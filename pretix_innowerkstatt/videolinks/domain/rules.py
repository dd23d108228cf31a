"""The access rules of an event's join links: who gets one, and when they work (the event's settings)."""

from dataclasses import dataclass

from .. import settings as names


@dataclass(frozen=True)
class AccessRules:
    allow_pending: bool = False
    product_ids: frozenset = frozenset()  # empty: admission products
    opens_minutes_before: int = names.DEFAULT_OPENS_MINUTES_BEFORE
    closes_minutes_after: int | None = None


def access_rules(event) -> AccessRules:
    s = event.settings
    opens = s.get(names.OPENS_MINUTES_BEFORE, as_type=int)
    return AccessRules(
        allow_pending=s.get(names.ALLOW_PENDING, as_type=bool),
        product_ids=frozenset(int(i) for i in (s.get(names.PRODUCTS, as_type=list) or [])),
        opens_minutes_before=names.DEFAULT_OPENS_MINUTES_BEFORE if opens is None else opens,
        closes_minutes_after=s.get(names.CLOSES_MINUTES_AFTER, as_type=int),
    )
