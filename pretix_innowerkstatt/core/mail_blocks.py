"""Blocks added to pretix's finished emails, without editing any mail text.

pretix has no "append to every mail" hook for texts. Its ``email_filter`` signal sees each
finished ``EmailMultiAlternatives`` (plain-text body, HTML alternative, attachments) together
with its ``OutgoingMail``; a capability that adds a block to a mail (the join link, the agenda)
does it there, with these helpers, so that every block lands in the same place:

* plain text: after the text, before the signature (``-- `` line) if there is one;
* HTML: after the text, inside the text box of pretix's mail layout; else before ``</body>``.

Blocks added one after the other keep their order: each lands after the ones already there.
pretix runs a plugin's ``email_filter`` receivers sorted by module and function name, so the
order of the blocks of different capabilities is stable (``agenda`` before ``videolinks``).

The block texts are the caller's: plain text unescaped, HTML escaped and sanitised (organiser
Markdown through pretix's ``markdown_compile_email``). pretix inlines its CSS before the filter
runs, so a block brings its own inline styles where it needs any.
"""

import re

from django.core.mail.message import SafeMIMEText, utf8_charset_qp

PLAIN_SIGNATURE_SEPARATOR = "\r\n\r\n-- \r\n"

_BODY_BOX = re.compile(r'<td class="containertd"[^>]*>')
_CONTENT_DIV = re.compile(r'<div class="content"[^>]*>')
_DIV_TAG = re.compile(r"<(/?)div\b", flags=re.IGNORECASE)


def insert_plain(body: str, block: str) -> str:
    """``body`` with ``block`` after its text and before its signature, in the mail's CRLF line ends."""
    index = body.find(PLAIN_SIGNATURE_SEPARATOR)
    if index < 0:
        return body.rstrip("\r\n") + "\r\n\r\n" + block.replace("\n", "\r\n") + "\r\n"
    return body[:index] + "\r\n\r\n" + block.replace("\n", "\r\n") + body[index:]


def _end_of_div(html: str, start: int) -> int:
    """Index of the ``</div>`` closing the div that opens at ``start`` (-1 if unbalanced)."""
    depth = 0
    for match in _DIV_TAG.finditer(html, start):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return match.start()
    return -1


def _outside_comment(html: str, index: int) -> int:
    """Move ``index`` before a conditional comment it would land in (Outlook-only markup)."""
    opened, closed = html.rfind("<!--", 0, index), html.rfind("-->", 0, index)
    return opened if opened > closed else index


def insert_html(html: str, block: str) -> str:
    """``html`` with ``block`` after the text, inside pretix's text box of the mail layout; else before </body>."""
    box = _BODY_BOX.search(html)
    content = _CONTENT_DIV.search(html, box.end()) if box else None
    if content:
        end = _end_of_div(html, content.start())
        if end > 0:
            return html[:end] + block + html[end:]
    match = re.search(r"</body>", html, flags=re.IGNORECASE)
    if match:
        index = _outside_comment(html, match.start())
        return html[:index] + block + html[index:]
    return html + block


def html_part(message):
    """``(index, container, html)`` of the message's HTML; ``(None, None, None)`` without one.

    pretix sends its HTML as multipart/related (``container``) with the text/html part first.
    """
    for index, alternative in enumerate(message.alternatives):
        content, mimetype = alternative[0], alternative[1]
        if mimetype == "text/html":
            return index, None, content
        if mimetype == "multipart/related" and hasattr(content, "get_payload"):
            payload = content.get_payload()
            if payload and payload[0].get_content_type() == "text/html":
                html = payload[0].get_payload(decode=True).decode(payload[0].get_content_charset() or "utf-8")
                return index, content, html
    return None, None, None


def replace_html(message, index, container, html) -> None:
    """Put ``html`` back where ``html_part`` found the message's HTML."""
    if container is None:
        old = message.alternatives[index]
        message.alternatives[index] = type(old)(html, old[1]) if hasattr(old, "_fields") else (html, old[1])
        return
    payload = container.get_payload()
    payload[0] = SafeMIMEText(html, "html", utf8_charset_qp)
    container.set_payload(payload)


def add_block(message, plain: str, html: str) -> None:
    """Add one block to both the plain-text body and (if the message has one) the HTML part."""
    message.body = insert_plain(message.body or "", plain)
    index, container, current = html_part(message)
    if current is not None:
        replace_html(message, index, container, insert_html(current, html))


def plain_contains(body: str, text: str) -> bool:
    """Whether ``text`` is already in a plain-text ``body``, whatever its line ends."""
    if not text.strip():
        return False
    return _lines(text) in _lines(body or "")


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
