"""The heal benchmark, short: a small mesh with fast timings, user commands during a heal.

Asserts that it runs to the end and measures (no timing): every listening node is healed, the
sleeping one waits for its wake-up, user commands were measured idle and during the heal, and
the strict stick saw no overlapping radio jobs and no frame sent to a node while it probed.  The real run is ``scripts/bench heal``.
"""

from __future__ import annotations

from bench.heal import run_heal_bench


async def test_heal_bench_runs() -> None:
    report = await run_heal_bench(
        nodes=6, sleeping=1, layers=2, interval=0.05, idle_samples=8, radio="fast", neighbor_update_time=0.1
    )
    summary = report.format()
    assert len(report.idle) == 8 and report.heal, summary
    assert all(s.ok for s in report.idle + report.heal), summary
    assert sorted(report.results.values()) == ["done"] * 6 + ["queued"], summary
    assert len(report.updates) == 6, summary
    assert report.overlap_refusals == 0, summary
    assert report.sends_to_busy_node == 0, summary  # commands to the node under update waited
    assert "p99 during heal / idle" in summary
