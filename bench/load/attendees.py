"""Each attendee opens their join page once before the start: CSRF cookie and form token per attendee.

The result is one line per attendee (``path <TAB> Cookie header <TAB> form body``), the input of
``driver.lua``, which then only POSTs, as the whole audience clicking "join" at the start does.
"""

import html
import http.client
import re
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from pathlib import Path

TOKEN = re.compile(r'name="csrfmiddlewaretoken"\s+value="([^"]+)"')


class PageError(RuntimeError):
    pass


def _open_join_page(port: int, path: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read().decode(errors="replace")
        if response.status != 200:
            raise PageError(f"GET {path}: HTTP {response.status}")
        cookies = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
    finally:
        conn.close()
    match = TOKEN.search(body)
    if not match:
        raise PageError(f"GET {path}: no form with a csrfmiddlewaretoken on the join page")
    cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in cookies.items())
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": html.unescape(match.group(1))})
    return f"{path}\t{cookie}\t{form}"


def prefetch(port: int, paths: list[str], target: Path, parallel: int = 8) -> Path:
    with ThreadPoolExecutor(parallel) as pool:
        lines = list(pool.map(lambda p: _open_join_page(port, p), paths))
    target.write_text("\n".join(lines) + "\n")
    return target
