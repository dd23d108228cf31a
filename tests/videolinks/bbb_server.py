"""A local stand-in for a BigBlueButton server: ``create``, ``join`` and ``getMeetings``.

It checks checksums the way BBB does: it takes the raw query string, removes the
``checksum`` parameter, and compares the checksum with every allowed algorithm's digest of call
name + remaining query string + shared secret, telling the algorithm by the checksum's length.
A wrong checksum gets BBB's ``checksumError`` answer.
"""

import hashlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

BY_LENGTH = {40: hashlib.sha1, 64: hashlib.sha256, 128: hashlib.sha512}


def _xml(returncode, body=""):
    return f"<response><returncode>{returncode}</returncode>{body}</response>".encode()


class StandIn:
    def __init__(self, secret, algorithms=("sha1", "sha256", "sha512"), delay=0.0):
        self.secret = secret
        self.algorithms = set(algorithms)
        self.delay = delay
        self.meetings = {}  # meetingID -> create parameters
        self.calls = []  # (call, params, accepted)
        self.joins = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                if server.delay:
                    time.sleep(server.delay)
                status, body = server.handle(self.path)
                self.send_response(status)
                self.send_header("Content-Type", "text/xml")
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/bigbluebutton/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def checksum_ok(self, call, raw_query):
        parts = raw_query.split("&") if raw_query else []
        given = [p[len("checksum=") :] for p in parts if p.startswith("checksum=")]
        rest = "&".join(p for p in parts if not p.startswith("checksum="))
        if len(given) != 1:
            return False
        digest = BY_LENGTH.get(len(given[0]))
        if digest is None or digest().name not in self.algorithms:
            return False
        return digest((call + rest + self.secret).encode()).hexdigest() == given[0]

    def handle(self, path):
        parts = urlsplit(path)
        call = parts.path.rsplit("/", 1)[-1]
        params = {k: v[0] for k, v in parse_qs(parts.query).items()}
        ok = self.checksum_ok(call, parts.query)
        self.calls.append((call, params, ok))
        if not ok:
            return 200, _xml("FAILED", "<messageKey>checksumError</messageKey>")
        if call == "create":
            self.meetings.setdefault(params["meetingID"], params)
            return 200, _xml("SUCCESS", f"<meetingID>{params['meetingID']}</meetingID>")
        if call == "join":
            if params.get("meetingID") not in self.meetings:
                return 200, _xml("FAILED", "<messageKey>notFound</messageKey>")
            self.joins.append(params)
            return 302, b""
        if call == "getMeetings":
            body = "".join(f"<meeting><meetingID>{m}</meetingID></meeting>" for m in self.meetings)
            return 200, _xml("SUCCESS", f"<meetings>{body}</meetings>")
        return 404, _xml("FAILED", "<messageKey>unsupportedRequest</messageKey>")

    def get(self, url):
        """Follow a URL the plugin produced (the join redirect) as the browser would."""
        import requests

        return requests.get(url, allow_redirects=False, timeout=5)
