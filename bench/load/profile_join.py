"""Where a join POST's time goes: one process, the load benchmark's PostgreSQL and Redis, no gunicorn.

    python -m bench.load.profile_join [--posts N] [--profile] [--provider generic|jitsi|bigbluebutton] [--work-phase]

Seeds the load benchmark's database (``bench.load.prepare``) and then, inside a pretix with the
benchmark's configuration, sends join POSTs through Django's request handler with every middleware
(CSRF checked), each attendee once. It prints per POST: the SQL queries, the Redis round trips
(each pipeline counts once) and their commands, the microseconds of a join POST and of pretix's
``/healthcheck/`` measured alternately, and with ``--profile`` the functions that took the time
(cProfile, cumulative). Before the POSTs the rate-limit counters and noted joins are cleared, as
the load benchmark does before each burst. With ``--work-phase`` the POSTs are those of the
load benchmark's work-phase event (its work phase running now, every attendee in one of its groups).
"""

import argparse
import cProfile
import json
import pstats
import statistics
import subprocess
import sys
import time

from bench.load.environment import ROOT, BenchEnvironment
from bench.load.prepare import BBB_SECRET, PROVIDERS, WORK_GROUPS

PORT = 8765


class RedisCounter:
    """Counts Redis round trips: every packed send of a connection is one (a pipeline is one send)."""

    def __init__(self):
        self.sends, self.commands, self.active = 0, [], False

    def install(self):
        from redis.connection import AbstractConnection

        original = AbstractConnection.send_packed_command
        counter = self

        def counted(conn, command, check_health=True):
            if counter.active:
                counter.sends += 1
                parts = command if isinstance(command, list) else [command]
                names = []
                for part in parts:
                    raw = bytes(part) if not isinstance(part, bytes | str) else part
                    raw = raw.encode() if isinstance(raw, str) else raw
                    # RESP: *<n>\r\n$<len>\r\n<COMMAND>\r\n... (several commands when pipelined)
                    chunks = raw.split(b"\r\n")
                    names += [chunks[i + 2].decode() for i, c in enumerate(chunks[:-1]) if c.startswith(b"*")]
                counter.commands.append("+".join(names))
            return original(conn, command, check_health)

        AbstractConnection.send_packed_command = counted


def inside(args):
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils.crypto import get_random_string
    from django.utils.http import urlencode

    with open(args.prepared) as f:
        prepared = json.load(f)
    paths = prepared["work"]["paths"] if args.work_phase else prepared["paths"]
    redis_counter = RedisCounter()
    redis_counter.install()
    client = Client(enforce_csrf_checks=True, HTTP_HOST=f"127.0.0.1:{PORT}")
    token = get_random_string(32)
    client.cookies[settings.CSRF_COOKIE_NAME] = token
    # Form-encoded, as a browser (and the load benchmark's wrk) sends the join form; the test
    # client's default, multipart, costs the request a parser the real POST never runs.
    body = urlencode({"csrfmiddlewaretoken": token})

    def clear():
        from django_redis import get_redis_connection

        redis = get_redis_connection("redis")
        keys = list(redis.scan_iter(match="*innowerkstatt:videolinks:*", count=1000))
        keys += redis.scan_iter(match="pretix:ratelimit:innowerkstatt_join:*", count=1000)
        if keys:
            redis.delete(*keys)

    def post(path):
        response = client.post(path, body, content_type="application/x-www-form-urlencoded")
        if response.status_code != 302:
            raise SystemExit(f"POST {path}: HTTP {response.status_code}\n{response.content[:2000].decode()}")
        return response

    clear()
    for path in paths[:20]:  # warm-up: connections, prepared statement, caches
        post(path)
        client.get("/healthcheck/")
    clear()
    # One POST counted in detail (a later one of the burst: the flushes of both shards of the
    # event's joins are scheduled already).
    post(paths[19])
    post(paths[20])
    redis_counter.active = True
    with CaptureQueriesContext(connection) as queries:
        post(paths[21])
    redis_counter.active = False
    print(f"SQL queries per join POST: {len(queries.captured_queries)}")
    for q in queries.captured_queries:
        print(f"  {q['sql'][:150]}")
    print(f"Redis round trips per join POST: {redis_counter.sends}")
    for command in redis_counter.commands:
        print(f"  {command}")
    redis_counter.sends, redis_counter.commands = 0, []
    redis_counter.active = True
    with CaptureQueriesContext(connection) as queries:
        client.get("/healthcheck/")
    redis_counter.active = False
    print(f"/healthcheck/: {len(queries.captured_queries)} SQL queries, {redis_counter.sends} Redis round trips")

    clear()
    todo = paths[30 : 30 + args.posts]
    # Python function calls per request: a measure of the request's own work that other processes
    # on the machine do not disturb (times do).
    calls = {}
    for name, request in (("join", lambda: post(paths[25])), ("health", lambda: client.get("/healthcheck/"))):
        counting = cProfile.Profile()
        counting.enable()
        request()
        counting.disable()
        calls[name] = pstats.Stats(counting).total_calls
    clear()
    joins, health = {"wall": [], "cpu": []}, {"wall": [], "cpu": []}
    # CPU time as the profiler's clock: waiting for PostgreSQL and Redis (and for the CPU, on a
    # busy machine) does not count, only this process's own work.
    profiler = cProfile.Profile(time.process_time) if args.profile else None

    def timed(times, request):
        wall, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        request()
        if profiler:
            profiler.disable()
        times["cpu"].append(time.process_time() - cpu)
        times["wall"].append(time.perf_counter() - wall)

    for path in todo:
        timed(joins, lambda: post(path))  # noqa: B023 (called at once)
        timed(health, lambda: client.get("/healthcheck/"))
    for kind in ("cpu", "wall"):
        join_us, health_us = statistics.median(joins[kind]) * 1e6, statistics.median(health[kind]) * 1e6
        print(
            f"{kind:>4}: join POST median {join_us:.0f} µs, /healthcheck/ {health_us:.0f} µs, "
            f"healthcheck / join {health_us / join_us:.0%} ({len(todo)} each)"
        )
    print(f"Python function calls: join POST {calls['join']}, /healthcheck/ {calls['health']}")
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(args.lines)
        stats.sort_stats("tottime").print_stats(args.lines // 2)
    clear()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=500)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--lines", type=int, default=60, help="functions shown by --profile")
    parser.add_argument("--provider", choices=PROVIDERS, default="generic")
    parser.add_argument("--work-phase", action="store_true", help="join the work-phase event's group rooms")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--prepared", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        return inside(args)
    env = BenchEnvironment()
    # No server listens: the site URL only has to match the Host header of the requests made here.
    env.config_file.write_text(env.config_file.read_text().replace(f"127.0.0.1:{env.port}", f"127.0.0.1:{PORT}"))
    with env:
        env.ensure_database()
        env.flush_redis()
        provider = ["--provider", args.provider]
        if args.provider == "bigbluebutton":
            provider += ["--bbb-url", env.start_bbb(BBB_SECRET)]
        work = ["--workgroups", str(WORK_GROUPS)] if args.work_phase else []
        prepared = env.run_prepare("--attendees", "1000", *provider, *work)
        if not prepared["available"]:
            raise SystemExit(prepared["reason"])
        env.vacuum()  # the dead rows of earlier runs, as autovacuum would
        out = env.dir / "prepare.json"
        argv = [sys.executable, "-m", "bench.load.profile_join", "--inside", "--prepared", str(out)]
        argv += ["--posts", str(args.posts), "--lines", str(args.lines)] + (["--profile"] if args.profile else [])
        argv += ["--work-phase"] if args.work_phase else []
        subprocess.run(argv, cwd=ROOT, env=env.env, check=True)


if __name__ == "__main__":
    main()
