"""The load benchmark's verdict sets each round's join burst against the same round's healthchecks."""

from bench.load.wrk import Burst
from bench.scenarios.videolinks_load import _round_ratios, _verdicts


def burst(seconds, status="302"):
    return Burst(
        duration_us=int(seconds * 1e6),
        requests=1000,
        planned=1000,
        unexpected_status=0,
        socket_errors=0,
        timeouts=0,
        p50_us=20_000,
        p90_us=40_000,
        p99_us=80_000,
        max_us=90_000,
        mean_us=25_000.0,
        statuses={status: 1000},
    )


def test_each_rounds_joins_are_compared_with_the_healthchecks_of_the_same_round():
    # The machine slows down after the first round: its healthchecks were the fastest of all.
    health = [burst(1.0, "200"), burst(2.0, "200"), burst(2.0, "200")]
    joins = [burst(1.25), burst(2.5), burst(2.2)]
    assert [round(r, 2) for r in _round_ratios(health, joins)] == [0.8, 0.8, 0.91]
    verdict = _verdicts("workgroups", health, joins, joined=[1000] * 3, lags=[5.0] * 3)
    assert "80% (rounds: 80%, 80%, 91%)" in verdict
    assert "MISSED" not in verdict


def test_a_join_below_seven_tenths_of_the_healthchecks_in_most_rounds_misses_the_goal():
    health = [burst(1.0, "200")] * 3
    joins = [burst(1.5), burst(1.6), burst(1.3)]
    verdict = _verdicts("generic", health, joins, joined=[1000] * 3, lags=[5.0] * 3)
    assert "67% (rounds: 67%, 62%, 77%)" in verdict
    assert "join req/s >= 70% of healthcheck" in verdict and "MISSED" in verdict
