"""The registry of the cards on the plugin's overview page.

Core knows no capability: each capability decorates its card function with ``register_card``
in its ``overview.py``, which the root ``signals.py`` imports when the app is ready. A card
function takes ``(event, request)`` and returns the context of its card, with the card's
template under ``"template"``.
"""

_cards = []


def register_card(order: int):
    """Register a card function; cards are shown by ascending ``order``."""

    def decorator(card):
        if card not in [registered for __, registered in _cards]:
            _cards.append((order, card))
            _cards.sort(key=lambda entry: entry[0])
        return card

    return decorator


def cards(event, request) -> list[dict]:
    return [card(event, request) for __, card in _cards]
