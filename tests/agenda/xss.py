"""Well-known XSS payloads, and a check that none of them became markup."""

import re

from bs4 import BeautifulSoup

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[klick](javascript:alert(1))",
    '<a href="javascript:alert(1)">a</a>',
    '"><svg onload=alert(1)>',
    "&lt;script&gt;alert(1)&lt;/script&gt;",  # markup once a plain-text step unescapes it
]
PAYLOAD = " ".join(PAYLOADS)
# A link address that passes as https but breaks out of an attribute if written unquoted.
PAYLOAD_URL = 'https://example.org/"><svg/onload=alert(1)>'
TAG_LIKE = re.compile(r"<\s*[a-z/!?]", re.IGNORECASE)


def assert_plain(text: str, where: str = ""):
    """``text`` (of a file that carries text, never HTML) holds nothing a renderer would take for markup."""
    assert not TAG_LIKE.search(text), f"{where}: {text!r}"


def injected_elements(html: str) -> list:
    """Elements in ``html`` that a payload made: scripts, event handlers, javascript: links, svg, img src=x."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for tag in soup.find_all(True):
        if tag.name == "script" and "alert(1)" in (tag.string or ""):
            found.append(str(tag))
        if tag.name in ("svg", "img") and (tag.get("src") == "x" or tag.get("onload")):
            found.append(str(tag))
        for attribute, value in tag.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if attribute.lower().startswith("on") and "alert(1)" in text:
                found.append(str(tag))
            if attribute.lower() in ("href", "src") and text.strip().lower().startswith("javascript:"):
                found.append(str(tag))
    return found
