"""A small benchmark harness: run a scenario with and without the plugin, alternately, in one process.

Each scenario offers a ``baseline`` (pretix without the plugin, or pretix's own equivalent)
and a ``candidate`` (with the plugin). Rounds alternate between the two so that drift of the
machine affects both alike; the harness reports median wall times, their ratio and the number
of database queries of one run of each.
"""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext


@dataclass
class Result:
    name: str
    baseline_ms: float
    candidate_ms: float
    baseline_queries: int
    candidate_queries: int
    goal: float | None = None
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.candidate_ms / self.baseline_ms if self.baseline_ms else float("inf")

    @property
    def verdict(self) -> str:
        if self.goal is None:
            return ""
        return "ok" if self.ratio <= self.goal else "OVER GOAL"


@dataclass
class Scenario:
    name: str
    setup: Callable[[], object]
    baseline: Callable[[object], object]
    candidate: Callable[[object], object]
    goal: float | None = None
    rounds: int = 15
    warmup: int = 2
    note: str = ""
    teardown: Callable[[object], None] | None = field(default=None)

    def run(self) -> Result:
        ctx = self.setup()
        try:
            for _ in range(self.warmup):
                self.baseline(ctx)
                self.candidate(ctx)
            # The query log is a bounded deque; a full one makes every capture look empty.
            reset_queries()
            with CaptureQueriesContext(connection) as q_base:
                self.baseline(ctx)
            reset_queries()
            with CaptureQueriesContext(connection) as q_cand:
                self.candidate(ctx)
            base_times, cand_times = [], []
            for i in range(self.rounds):
                # Alternate which side goes first, so neither always profits from warm caches.
                order = ((self.baseline, base_times), (self.candidate, cand_times))
                for fn, times in order if i % 2 == 0 else reversed(order):
                    start = time.perf_counter()
                    fn(ctx)
                    times.append((time.perf_counter() - start) * 1000)
            return Result(
                name=self.name,
                baseline_ms=statistics.median(base_times),
                candidate_ms=statistics.median(cand_times),
                baseline_queries=len(q_base.captured_queries),
                candidate_queries=len(q_cand.captured_queries),
                goal=self.goal,
                note=self.note,
            )
        finally:
            if self.teardown:
                self.teardown(ctx)


def format_table(results: list[Result]) -> str:
    header = ("scenario", "without ms", "with ms", "ratio", "goal", "queries without", "queries with", "")
    rows = [header]
    for r in results:
        rows.append(
            (
                r.name,
                f"{r.baseline_ms:.2f}",
                f"{r.candidate_ms:.2f}",
                f"{r.ratio:.3f}",
                f"<= {r.goal:.2f}" if r.goal else "",
                str(r.baseline_queries),
                str(r.candidate_queries),
                r.verdict,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
