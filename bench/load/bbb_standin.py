"""The tests' BigBlueButton stand-in (tests/videolinks/bbb_server.py) as a server process of the load benchmark.

    python -m bench.load.bbb_standin SECRET URL_FILE

Serves ``create``, ``join`` and ``getMeetings`` on a free loopback port, checking checksums as
BBB does, and writes its API URL to ``URL_FILE`` once it listens. The join POST of the
BigBlueButton provider calls ``create`` here (once per meeting and gunicorn worker, remembered
for five minutes) before it redirects to a signed ``join`` URL, which wrk does not follow.
"""

import sys
from pathlib import Path

from tests.videolinks.bbb_server import StandIn


def main():
    secret, url_file = sys.argv[1], Path(sys.argv[2])
    server = StandIn(secret)
    url_file.write_text(server.url)
    server.httpd.serve_forever()


if __name__ == "__main__":
    main()
