"""The soak test, short: 500 operations under link faults, a hang (cleared only by a soft
reset) and two unplug/replug cycles.

Asserts correctness only (no timing): every operation resolves (completed or a typed error),
nothing is carried out or delivered twice, and after a final refresh the driver's values equal
the devices' state.  The long run is ``scripts/bench soak`` (10 000 operations).
"""

from __future__ import annotations

from bench.soak import run_soak


async def test_soak_500_operations_under_faults() -> None:
    report = await run_soak(ops=500, seed=7, hang_seconds=2.0, unplugs=2)
    summary = report.format()
    assert report.attempted == 500, summary
    assert report.completed + report.failed_total + report.lost == report.attempted, summary
    assert report.lost == 0, summary
    assert report.duplicated == 0, summary
    assert report.mismatches == [], summary
    assert report.values_checked >= 15, summary
    assert report.driver_errors_logged == [], summary
    # The faults were really injected, and the driver went through both unplug cycles.
    assert report.faults_injected["corrupted"] > 0 and report.faults_injected["cans"] > 0, summary
    assert report.faults_injected["late_acks"] > 0, summary
    assert report.faults_injected["hangs"] == 1 and report.faults_injected["unplugs"] == 2, summary
    assert len(report.unplug_recovery) == 2, summary
    # The hung stick stayed hung until the driver soft-reset it, once.
    assert report.hang_reset_after is not None and report.soft_resets == 1, summary
    assert report.driver_stats["naks_sent"] > 0 and report.driver_stats["cans_received"] > 0, summary
    # Most operations complete despite the faults.
    assert report.completed >= 0.9 * report.attempted, summary
