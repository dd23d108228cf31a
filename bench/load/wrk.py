"""Run wrk with driver.lua for a fixed number of requests and read its JSON summary."""

import json
import shutil
import signal
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

DRIVER = Path(__file__).with_name("driver.lua")
THREADS = 2
CONNECTIONS = 20
# wrk only knows durations: it runs at most this long, and is ended as soon as the burst is done.
LIMIT_SECONDS = 120


class WrkError(RuntimeError):
    pass


@dataclass
class Burst:
    duration_us: int
    requests: int
    planned: int
    unexpected_status: int
    socket_errors: int
    timeouts: int
    p50_us: int
    p90_us: int
    p99_us: int
    max_us: int
    mean_us: float
    statuses: dict
    locations: dict = field(default_factory=dict)  # redirect target (without query string) -> answers

    @property
    def seconds(self) -> float:
        return self.duration_us / 1e6

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.duration_us else 0.0

    @property
    def errors(self) -> int:
        """Unexpected answers, socket errors and timeouts."""
        return self.unexpected_status + self.socket_errors + self.timeouts

    @property
    def unanswered(self) -> int:
        """Requests still without an answer when wrk's time limit ended the burst."""
        return max(self.planned - self.requests, 0)


def available() -> bool:
    return shutil.which("wrk") is not None


def run(base_url: str, mode: str, expected: int, args: list[str]) -> Burst:
    argv = [
        "wrk",
        f"--threads={THREADS}",
        f"--connections={CONNECTIONS}",
        f"--duration={LIMIT_SECONDS}s",
        "--timeout=5s",
        f"--script={DRIVER}",
        base_url,
        "--",
        mode,
        str(expected),
        str(THREADS),
        *args,
    ]
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    output, threads_done = [], 0
    try:
        for line in process.stdout:
            output.append(line)
            if line.strip() == "THREAD_DONE":
                threads_done += 1
                if threads_done == THREADS:
                    process.send_signal(signal.SIGINT)  # wrk then stops waiting and reports
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    for line in output:
        if line.startswith("RESULT "):
            return Burst(**json.loads(line[len("RESULT ") :]))
    raise WrkError(f"wrk gave no result (exit {process.returncode}):\n{''.join(output)}\n{process.stderr.read()}")


def healthcheck(base_url: str, requests: int) -> Burst:
    """``requests`` GETs of pretix's ``/healthcheck/``, each answered with 200."""
    return run(base_url, "get", 200, ["/healthcheck/", str(requests)])


def join(base_url: str, attendees_file: Path) -> Burst:
    """One join POST per attendee in ``attendees_file``, each answered with a redirect."""
    return run(base_url, "post", 302, [str(attendees_file)])
