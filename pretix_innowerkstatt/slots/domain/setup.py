"""Setting up a slot product: its quota follows the number of slots, its approval mail names the slot.

- ``sync_quota``: the product's own quotas (those with no other product) get the number of slots
  that fit into the block; a product without a quota gets one. Quotas shared with other products
  are left alone and the slots page says so.
- ``add_slot_placeholder``: pretix's approval mail texts (paid and free orders) that are still
  pretix's defaults get a paragraph ``{presentation_slot}`` after their first one. Texts the
  organiser changed are left as they are; the slots page shows whether they contain it.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from i18nfield.strings import LazyI18nString
from pretix.base.models import Quota
from pretix.base.settings import DEFAULTS

from .. import logtypes
from .placement import slot_times

PLACEHOLDER = "{presentation_slot}"
APPROVAL_TEXTS = ("mail_text_order_approved", "mail_text_order_approved_free")


def item_quotas(product):
    subevent = product.block.subevent if product.block else None
    return list(product.item.quotas.filter(subevent=subevent).prefetch_related("items"))


def own_quotas(product, quotas=None) -> list:
    quotas = item_quotas(product) if quotas is None else quotas
    return [q for q in quotas if [i.pk for i in q.items.all()] == [product.item_id]]


@transaction.atomic
def sync_quota(product, *, user=None) -> list:
    """Give the product's own quotas the number of slots; returns the quotas changed or created."""
    if product.block is None:
        return []
    size = len(slot_times(product))
    quotas = item_quotas(product)
    changed = []
    if not quotas:
        quota = Quota.objects.create(
            event=product.event,
            subevent=product.block.subevent,
            name=_("Presentation slots: {product}").format(product=product.item.name)[:200],
            size=size,
        )
        quota.items.add(product.item)
        changed.append(quota)
    for quota in own_quotas(product, quotas):
        if quota.size != size:
            quota.size = size
            quota.save(update_fields=["size"])
            changed.append(quota)
    for quota in changed:
        product.event.log_action(logtypes.QUOTA_SYNCED, user=user, data={"quota": quota.name, "size": size})
    return changed


def quota_in_step(product) -> bool:
    size = len(slot_times(product))
    own = own_quotas(product)
    return bool(own) and all(q.size == size for q in own)


def _locales(event) -> list:
    return event.settings.locales or [event.settings.locale]


def is_default_text(event, key) -> bool:
    default = DEFAULTS[key]["default"]
    current = event.settings.get(key, as_type=LazyI18nString)
    return all(current.localize(lc) == default.localize(lc) for lc in _locales(event))


def texts_with_placeholder(event) -> dict:
    """``{setting key: whether every language of that approval text contains the placeholder}``."""
    result = {}
    for key in APPROVAL_TEXTS:
        current = event.settings.get(key, as_type=LazyI18nString)
        result[key] = all(PLACEHOLDER in current.localize(lc) for lc in _locales(event))
    return result


def add_slot_placeholder(event, *, user=None) -> list:
    """Add ``{presentation_slot}`` to approval texts that are still pretix's defaults; returns their keys."""
    changed = []
    for key in APPROVAL_TEXTS:
        if not is_default_text(event, key):
            continue
        default = DEFAULTS[key]["default"]
        texts = {}
        for lc in _locales(event):
            first, _sep, rest = default.localize(lc).partition("\n\n")
            texts[lc] = f"{first}\n\n{PLACEHOLDER}\n\n{rest}" if rest else f"{first}\n\n{PLACEHOLDER}"
        event.settings.set(key, LazyI18nString(texts))
        changed.append(key)
    if changed:
        event.log_action(logtypes.MAIL_TEXT_EXTENDED, user=user, data={"settings": changed})
    return changed


def approval_missing(product) -> bool:
    """The product does not require approval: applications would be confirmed without a look."""
    return not product.item.require_approval


@transaction.atomic
def save_product(product, *, user=None, changed=()) -> dict:
    """Store a slot product's settings, keep its quota in step and its approval mail naming the slot.

    Returns ``{"quotas": [changed quotas], "texts": [mail settings that got the placeholder]}``.
    """
    is_new = product.pk is None
    product.save()
    product.event.log_action(
        logtypes.PRODUCT_SAVED,
        user=user,
        data={"product": str(product.item.name), "item": product.item_id, "new": is_new, "changed": list(changed)},
    )
    quotas = sync_quota(product, user=user)
    texts = add_slot_placeholder(product.event, user=user) if is_new else []
    return {"quotas": quotas, "texts": texts}


@transaction.atomic
def remove_product(product, *, user=None) -> None:
    """The product is no longer a slot product; placed presentations stay on the agenda."""
    product.event.log_action(logtypes.PRODUCT_REMOVED, user=user, data={"product": str(product.item.name)})
    product.delete()
