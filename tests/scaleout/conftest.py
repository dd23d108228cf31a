"""pretix as in production for the real-worker tests: two gunicorn workers, a Celery worker, Redis, PostgreSQL.

The servers are the load benchmark's (``bench/load/environment.py``), with this test's own
PostgreSQL database (kept between runs, so pretix's migrations run once), its own Redis
databases, two web workers and a local SMTP server (``demo/mailsink.py``) in this process.
Tests marked ``scaleout`` run only when selected (``make test-scaleout``: ``-m scaleout``).
"""

import configparser
import contextlib
import email
import email.policy
import logging
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.load import environment
from bench.load.environment import ROOT, BenchEnvironment, ServerError, free_port

DATABASE_NAME = "innowerkstatt_scaleout"
# Cache and sessions, Celery broker, Celery results; the benchmark uses 5-7, test_deferred_checkins 14.
REDIS_DBS = {"cache": 11, "broker": 12, "results": 13}
WEB_WORKERS = 2
ATTENDEES = 8
# Gunicorn's access log with the process id of the worker that answered each request.
ACCESS_LOG_FORMAT = "%(p)s %(m)s %(U)s %(s)s"


def pytest_collection_modifyitems(config, items):
    if "scaleout" in (config.option.markexpr or ""):
        return
    skip = pytest.mark.skip(reason="starts servers: run with `make test-scaleout` (-m scaleout)")
    for item in items:
        if item.get_closest_marker("scaleout"):
            item.add_marker(skip)


class MailSink:
    """``demo/mailsink.py``'s SMTP server in this process; every mail lands as .eml in ``folder``."""

    def __init__(self, folder: Path):
        from aiosmtpd.controller import Controller

        from demo.mailsink import SaveToFolder

        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every connection
        self.folder = folder
        self.port = free_port()
        self.controller = Controller(SaveToFolder(folder), hostname="127.0.0.1", port=self.port)

    def messages(self) -> list[email.message.EmailMessage]:
        return [
            email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            for path in sorted(self.folder.glob("*.eml"))
        ]

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


@dataclass
class Stack:
    env: BenchEnvironment
    mails: MailSink
    prepared: dict  # bench.load.prepare's result: organizer, event, checkin_list, paths
    seeded: dict  # tests.scaleout.seed's result: user, format, meeting_url, buyers

    @property
    def url(self) -> str:
        return self.env.base_url

    @staticmethod
    def _connect():
        import psycopg2

        return psycopg2.connect(
            dbname=DATABASE_NAME, user=environment.DATABASE["user"], host=environment.DATABASE["host"]
        )

    @contextlib.contextmanager
    def edition_claim_held(self, format_id: int, key: str):
        """Claims the edition ``key`` of a format in an open transaction, as a parallel run would.

        A run that reaches this period waits on the unique constraint until ``release()`` (or the
        end of the block) rolls the claim back; then the run creates the edition itself.
        """
        conn = self._connect()
        cur = conn.cursor()
        cur.execute(
            "INSERT INTO pretix_innowerkstatt_edition (format_id, key, rule_start, created) "
            "VALUES (%s, %s, now(), now())",
            [format_id, key],
        )

        def release():
            if not conn.closed:
                conn.rollback()
                conn.close()

        try:
            yield release
        finally:
            release()

    def rows(self, query: str, params: list) -> list[tuple]:
        conn = self._connect()
        try:
            with conn, conn.cursor() as cur:
                cur.execute(query, params)
                return cur.fetchall()
        finally:
            conn.close()

    def web_workers_of(self, method: str, path_prefix: str) -> set[str]:
        """Process ids of the gunicorn workers that answered these requests (from the access log)."""
        pids = set()
        for line in self.env.log("access").read_text().splitlines():
            pid, request_method, path, _status = line.split(" ", 3)
            if request_method == method and path.startswith(path_prefix):
                pids.add(pid)
        return pids

    def logs(self) -> str:
        return "\n".join(f"--- {name}.log\n{self.env.tail(name)}" for name in ("gunicorn", "celery", "seed"))


def _use_mail_server(config_file: Path, port: int):
    config = configparser.ConfigParser()
    config.read(config_file)
    config["mail"]["port"] = str(port)
    with config_file.open("w") as f:
        config.write(f)


def _seed(env: BenchEnvironment, prepared: dict) -> dict:
    import json

    out = env.dir / "seed.json"
    argv = ["--out", str(out), "--organizer", prepared["organizer"], "--event", prepared["event"]]
    with env.log("seed").open("a") as log:
        result = subprocess.run(
            [sys.executable, "-m", "tests.scaleout.seed", *argv, "--run", f"{int(time.time()):x}"],
            cwd=ROOT,
            env=env.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=300,
        )
    if result.returncode:
        raise ServerError(f"tests.scaleout.seed failed:\n{env.tail('seed')}")
    return json.loads(out.read_text())


@pytest.fixture(autouse=True)
def requests_to_loopback(settings):
    """pretix blocks HTTP to private addresses from its process (this one, in pretix's test settings)."""
    settings.ALLOW_HTTP_TO_PRIVATE_NETWORKS = True


@pytest.fixture(scope="module")
def stack(request):
    # A CI timeout (SIGTERM) ends the run like Ctrl-C: pytest then stops the servers as after a test.
    previous_sigterm = signal.signal(signal.SIGTERM, signal.default_int_handler)
    failed_before = request.session.testsfailed
    with pytest.MonkeyPatch.context() as mp:
        # The benchmark's environment reads these module settings when it runs (no arguments yet).
        mp.setattr(environment, "DATABASE", {**environment.DATABASE, "name": DATABASE_NAME})
        mp.setattr(environment, "REDIS_DBS", REDIS_DBS)
        mp.setattr(environment, "GUNICORN_WORKERS", WEB_WORKERS)
        env = BenchEnvironment()
        # Read by gunicorn in addition to its command line (bench/load starts it).
        mp.setenv("GUNICORN_CMD_ARGS", f"--access-logfile={env.log('access')} --access-logformat='{ACCESS_LOG_FORMAT}'")
        try:
            with env, MailSink(env.dir / "mails") as mails:
                _use_mail_server(env.config_file, mails.port)
                try:
                    env.ensure_database()
                    env.flush_redis()
                    prepared = env.run_prepare("--attendees", str(ATTENDEES))
                    assert prepared["available"], prepared.get("reason")
                    stack = Stack(env=env, mails=mails, prepared=prepared, seeded=_seed(env, prepared))
                    env.start()
                    yield stack
                finally:
                    if request.session.testsfailed > failed_before or sys.exc_info()[0]:
                        env.failed = True  # keeps the temporary directory with the servers' logs
                        print(f"\nscaleout: logs kept in {env.dir}", file=sys.stderr)
        finally:
            signal.signal(signal.SIGTERM, previous_sigterm)
