def card(event, request):
    """The capability's card on the plugin overview page (template and its context)."""
    return {"template": "pretix_innowerkstatt/videolinks/overview_card.html"}
