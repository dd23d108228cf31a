"""Speaker links: one rule for what a stored, shown or exported link of a speaker may be.

A speaker's ``links`` are ``[{"label": str, "url": str}, …]`` in display order. Only web
addresses (``http://``, ``https://``) of at most 500 characters are kept; ``javascript:``,
``data:`` or anything that is not a link at all is dropped. The label is text of at most 100
characters, kept as written (every output escapes or strips it, like any organiser text), and
falls back to the address's host. The editor, the API, the import, the event page and the
exported schedule all use ``clean_links``.
"""

from urllib.parse import urlparse

SCHEMES = ("https://", "http://")
URL_MAX_LENGTH = 500
LABEL_MAX_LENGTH = 100


def is_web_address(url) -> bool:
    return isinstance(url, str) and url.lower().startswith(SCHEMES) and len(url) <= URL_MAX_LENGTH


def clean_link(url, label="", *, label_text=str) -> dict | None:
    """``{"label", "url"}`` for one link, or None when ``url`` is no web address.

    ``label_text`` turns the label into the stored text (the import passes ``plain_text``: it
    strips markup from every plain field of a foreign file).
    """
    url = str(url or "").strip()
    if not is_web_address(url):
        return None
    label = label_text(label or "").strip()[:LABEL_MAX_LENGTH].strip() or urlparse(url).netloc or url
    return {"label": label, "url": url}


def clean_links(links, *, label_key="label", label_text=str) -> list:
    """The valid links of ``links`` (any JSON value), in order; ``label_key`` names the label
    in foreign formats (pretalx and frab call it ``title``)."""
    cleaned = []
    for link in links if isinstance(links, list) else []:
        if isinstance(link, dict):
            link = clean_link(link.get("url"), link.get(label_key) or "", label_text=label_text)
            if link is not None:
                cleaned.append(link)
    return cleaned
