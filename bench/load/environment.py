"""A production-like pretix for the load benchmark: gunicorn, PostgreSQL, Redis and a Celery worker.

Everything runs on loopback. The database ``innowerkstatt_bench`` is kept between runs so that
pretix's migrations (about 80 s) run only once; the configuration, data directory and logs live
in a temporary directory that is removed after a successful run.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

DATABASE = {"name": "innowerkstatt_bench", "user": "postgres", "host": "127.0.0.1", "port": 5432}
REDIS = "redis://127.0.0.1:6379"
# Redis databases of this benchmark: cache and sessions, Celery broker, Celery results.
REDIS_DBS = {"cache": 5, "broker": 6, "results": 7}
GUNICORN_WORKERS = 4
CELERY_CONCURRENCY = 2

CONFIG = """\
[pretix]
instance_name=Innowerkstatt load benchmark
url=http://127.0.0.1:{port}
datadir={datadir}
; the BigBlueButton stand-in server listens on loopback (bench/load/bbb_standin.py)
allow_http_to_private_networks=on
currency=EUR
registration=off
loglevel=WARNING

[django]
debug=off
secret=innowerkstatt-load-benchmark-only-never-use-this-key

[database]
backend=postgresql
name={db[name]}
user={db[user]}
host={db[host]}
port={db[port]}

[redis]
location={redis}/{dbs[cache]}
sessions=true

[celery]
broker={redis}/{dbs[broker]}
backend={redis}/{dbs[results]}

[mail]
from=bench@innowerkstatt.localhost
host=127.0.0.1
port=1
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerError(RuntimeError):
    pass


class BenchEnvironment:
    """Use as a context manager: servers are always stopped, the database stays."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="innowerkstatt-load-"))
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.config_file = self.dir / "pretix.cfg"
        datadir = self.dir / "data"
        datadir.mkdir()
        self.config_file.write_text(
            CONFIG.format(port=self.port, datadir=datadir, db=DATABASE, redis=REDIS, dbs=REDIS_DBS)
        )
        self.processes: dict[str, subprocess.Popen] = {}
        self.failed = False

    # --- environment of every pretix process ----------------------------------------------
    @property
    def env(self) -> dict:
        env = dict(os.environ)
        # bench/run.py sets pretix's test settings for the in-process scenarios; not here.
        env.update(
            PRETIX_CONFIG_FILE=str(self.config_file),
            DJANGO_SETTINGS_MODULE="pretix.settings",
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
        )
        return env

    def log(self, name: str) -> Path:
        return self.dir / f"{name}.log"

    def tail(self, name: str, lines: int = 30) -> str:
        path = self.log(name)
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    # --- database and redis -----------------------------------------------------------------
    def ensure_database(self):
        import psycopg2

        conn = psycopg2.connect(dbname="postgres", user=DATABASE["user"], host=DATABASE["host"], port=DATABASE["port"])
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE["name"]])
            if not cur.fetchone():
                cur.execute(f'CREATE DATABASE "{DATABASE["name"]}"')
        conn.close()

    def flush_redis(self):
        """Stale tasks or sessions of an interrupted run must not leak into this one."""
        import redis

        for db in REDIS_DBS.values():
            redis.Redis.from_url(f"{REDIS}/{db}").flushdb()

    def pending_tasks(self) -> int:
        """Tasks queued or being worked on by the Celery worker (Redis transport keys)."""
        import redis

        broker = redis.Redis.from_url(f"{REDIS}/{REDIS_DBS['broker']}")
        pending = 0
        for key in broker.scan_iter():
            kind = broker.type(key)
            if kind == b"list":
                pending += broker.llen(key)
            elif key == b"unacked" and kind == b"hash":
                pending += broker.hlen(key)
        return pending

    def pending_joins(self) -> int:
        """Joins noted in Redis whose check-ins the worker has not recorded yet (videolinks/domain/pending.py)."""
        import redis

        cache = redis.Redis.from_url(f"{REDIS}/{REDIS_DBS['cache']}")
        return sum(cache.hlen(key) for key in cache.scan_iter(match="*innowerkstatt:videolinks:pending:*"))

    def wait_for_tasks(self, timeout: float = 300) -> float:
        """Wait until the worker has done every task and recorded every noted join; returns the seconds waited."""
        start = time.monotonic()
        while self.pending_tasks() or self.pending_joins():
            if time.monotonic() - start > timeout:
                raise ServerError(f"Celery worker still busy after {timeout:.0f} s\n{self.tail('celery')}")
            time.sleep(0.2)
        return time.monotonic() - start

    def wait_for_checkins(self, checkin_list: int, expected: int, timeout: float = 300) -> float:
        """Wait until ``expected`` attendees are checked in; returns the seconds waited (the check-in lag)."""
        start = time.monotonic()
        while self.joined(checkin_list) < expected:
            if time.monotonic() - start > timeout:
                raise ServerError(f"check-ins still missing after {timeout:.0f} s\n{self.tail('celery')}")
            time.sleep(0.1)
        return time.monotonic() - start

    # --- the joins of one round -----------------------------------------------------------------
    def _sql(self, query: str, params: list):
        import psycopg2

        conn = psycopg2.connect(
            dbname=DATABASE["name"], user=DATABASE["user"], host=DATABASE["host"], port=DATABASE["port"]
        )
        try:
            with conn, conn.cursor() as cur:
                cur.execute(query, params)
                return cur.fetchone() if cur.description else None
        finally:
            conn.close()

    # What a burst of joins churns: check-ins deleted before each burst, and the orders, tickets and
    # log entries pretix's check-in updates and writes.
    CHURNED_TABLES = ("pretixbase_checkin", "pretixbase_order", "pretixbase_orderposition", "pretixbase_logentry")

    def vacuum(self):
        """Clean up the dead rows of the last bursts, as autovacuum would (~0.2 s).

        The machine's PostgreSQL may run with autovacuum off (it does on the development
        machines), and the database is kept between runs: without this, every burst leaves tens
        of thousands of dead row versions behind that the next bursts' lookups step over, so the
        join got slower with each scenario and each run.
        """
        import psycopg2

        conn = psycopg2.connect(
            dbname=DATABASE["name"], user=DATABASE["user"], host=DATABASE["host"], port=DATABASE["port"]
        )
        conn.autocommit = True  # VACUUM runs outside a transaction
        try:
            with conn.cursor() as cur:
                cur.execute(f"VACUUM (ANALYZE) {', '.join(self.CHURNED_TABLES)}")
        finally:
            conn.close()

    def joined(self, checkin_list: int) -> int:
        """Distinct attendees checked in on the video links' check-in list."""
        query = "SELECT count(DISTINCT position_id) FROM pretixbase_checkin WHERE list_id = %s AND successful"
        return self._sql(query, [checkin_list])[0]

    def joined_per_room(self, checkin_list: int) -> dict:
        """Distinct attendees checked in per work-phase group, by the group's meeting URL (its room)."""
        import psycopg2

        query = (
            "SELECT g.meeting_url, count(DISTINCT c.position_id) FROM pretixbase_checkin c "
            "JOIN pretix_innowerkstatt_workgroupmember m ON m.position_id = c.position_id "
            "JOIN pretix_innowerkstatt_workgroup g ON g.id = m.group_id "
            "WHERE c.list_id = %s AND c.successful GROUP BY g.meeting_url"
        )
        conn = psycopg2.connect(
            dbname=DATABASE["name"], user=DATABASE["user"], host=DATABASE["host"], port=DATABASE["port"]
        )
        try:
            with conn, conn.cursor() as cur:
                cur.execute(query, [checkin_list])
                return dict(cur.fetchall())
        finally:
            conn.close()

    def forget_joins(self, checkin_list: int):
        """Back to the minute before the start: no check-ins, no join POSTs counted by the rate limit."""
        import redis

        self._sql("DELETE FROM pretixbase_checkin WHERE list_id = %s", [checkin_list])
        self.vacuum()
        # Rate-limit counters and what is left of the joins noted for the deferred check-ins
        # (videolinks/domain/pending.py; empty after the worker's flush).
        cache = redis.Redis.from_url(f"{REDIS}/{REDIS_DBS['cache']}")
        keys = list(cache.scan_iter(match="*innowerkstatt:videolinks:*", count=1000))
        keys += cache.scan_iter(match="pretix:ratelimit:innowerkstatt_join:*", count=1000)  # pretix's rate limit
        if keys:
            cache.delete(*keys)

    # --- CPU time of the servers ---------------------------------------------------------------------
    def cpu_seconds(self) -> dict:
        """CPU seconds (user + system) used so far by each process of gunicorn, Celery and the benchmark
        database's PostgreSQL backends: ``{(server, pid): seconds}``; ``cpu_used`` takes the difference.

        Unlike throughput, CPU time per request hardly changes with what else runs on a shared
        machine, so it shows a change of the join's own cost where req/s ratios are noisy. Redis is
        left out: its one server is shared with everything else on the machine.
        """
        ticks = os.sysconf("SC_CLK_TCK")
        sessions = {process.pid: name for name, process in self.processes.items()}
        try:
            backends = set(self._sql_all("SELECT pid FROM pg_stat_activity WHERE datname = %s", [DATABASE["name"]]))
        except Exception:
            backends = set()
        used = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            # after "pid (comm)": state ppid pgrp session ... utime(12) stime(13)
            pid, session, cpu = int(entry.name), int(fields[3]), (int(fields[11]) + int(fields[12])) / ticks
            if session in sessions:
                used[(sessions[session], pid)] = cpu
            elif pid in backends:
                used[("postgres", pid)] = cpu
        return used

    @staticmethod
    def cpu_used(before: dict, after: dict) -> dict:
        """CPU seconds per server between two ``cpu_seconds``; processes that ended in between are not counted."""
        used = {}
        for (server, pid), seconds in after.items():
            used[server] = used.get(server, 0.0) + seconds - before.get((server, pid), 0.0)
        return used

    def _sql_all(self, query: str, params: list) -> list:
        import psycopg2

        conn = psycopg2.connect(
            dbname=DATABASE["name"], user=DATABASE["user"], host=DATABASE["host"], port=DATABASE["port"]
        )
        try:
            with conn, conn.cursor() as cur:
                cur.execute(query, params)
                return [row[0] for row in cur.fetchall()]
        finally:
            conn.close()

    # --- pretix management code run with this configuration ------------------------------------
    def run_prepare(self, *args: str, timeout: float = 900) -> dict:
        out = self.dir / "prepare.json"
        with self.log("prepare").open("a") as log:
            result = subprocess.run(
                [sys.executable, "-m", "bench.load.prepare", "--out", str(out), *args],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=timeout,
            )
        if result.returncode:
            raise ServerError(f"bench.load.prepare {' '.join(args)} failed:\n{self.tail('prepare')}")
        return json.loads(out.read_text())

    # --- servers ------------------------------------------------------------------------------
    def _spawn(self, name: str, argv: list[str], cwd=None):
        log = self.log(name).open("a")
        self.processes[name] = subprocess.Popen(
            argv, cwd=cwd or self.dir, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def start(self):
        self._spawn(
            "gunicorn",
            [
                str(BIN / "gunicorn"),
                "pretix.wsgi",
                "--name=pretix-bench",
                f"--workers={GUNICORN_WORKERS}",
                f"--bind=127.0.0.1:{self.port}",
                "--log-level=warning",
                "--timeout=60",
                # One request at a time per worker, as with pretix's documented sync workers, but
                # with keep-alive: sync workers close every connection, and at healthcheck rates
                # the loopback's new connections then collide with TIME_WAIT ports and stall for
                # 1-2 s (measured), which would distort the comparison. In production nginx keeps
                # the browsers' connections and talks to gunicorn over a socket.
                "--worker-class=gthread",
                "--threads=1",
                "--keep-alive=5",
            ],
        )
        self._spawn(
            "celery",
            [
                str(BIN / "celery"),
                "-A",
                "pretix.celery_app",
                "worker",
                "--loglevel=WARNING",
                f"--concurrency={CELERY_CONCURRENCY}",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
        )
        self._wait_for_health()

    def start_bbb(self, secret: str, timeout: float = 15) -> str:
        """Start the BigBlueButton stand-in server; returns its API URL."""
        url_file = self.dir / "bbb.url"
        self._spawn("bbb", [sys.executable, "-m", "bench.load.bbb_standin", secret, str(url_file)], cwd=ROOT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.processes["bbb"].poll() is not None:
                raise ServerError(f"BigBlueButton stand-in exited:\n{self.tail('bbb')}")
            if url_file.exists() and url_file.read_text():
                return url_file.read_text()
            time.sleep(0.1)
        raise ServerError(f"BigBlueButton stand-in did not start within {timeout:.0f} s:\n{self.tail('bbb')}")

    def _wait_for_health(self, timeout: float = 90):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise ServerError(f"{name} exited with {process.returncode}:\n{self.tail(name)}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/healthcheck/", timeout=5) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.5)
        raise ServerError(f"/healthcheck/ did not answer within {timeout:.0f} s:\n{self.tail('gunicorn')}")

    def stop(self):
        for process in self.processes.values():
            if process.poll() is None:
                # Each server is the leader of its own process group: this reaches its workers too.
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.stop()
        if exc_type is None and not self.failed:
            shutil.rmtree(self.dir, ignore_errors=True)
        return False
