"""Memory benchmark: resident memory per node of the driver for a 232-node network.

The virtual network (``bench/_network.py``, fast radio) runs in a separate process, so this
process holds only the driver.  Two measures:

* RSS: resident set size of this process before the driver starts and after the cold start
  has interviewed every node (sleeping ones woken), after a garbage collection; delta / nodes.
* tracemalloc: Python heap allocated by a second driver that warm-starts from the first one's
  cache (the same network state: nodes, command classes, values, and the cache it keeps);
  traced bytes / nodes.

Target (issue 4): <= 50 KiB per node.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import sys
import time
import tracemalloc
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import quiet_logging, table
from custom_components.zwave_serial.zwave import Driver, DriverOptions, MemoryCache

REPO = Path(__file__).resolve().parent.parent
KIB = 1024


def rss_bytes() -> int:
    """Resident set size of this process (Linux /proc)."""
    with open("/proc/self/statm", encoding="ascii") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


async def run(nodes: int) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(REPO / "bench" / "_network.py"),
        "--nodes",
        str(nodes),
        "--radio",
        "fast",
        env=env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    assert proc.stdout is not None and proc.stdin is not None
    port = (await asyncio.wait_for(proc.stdout.readline(), 60)).decode().strip()
    result: dict[str, float] = {}
    cache = MemoryCache()
    try:
        gc.collect()
        rss_before = rss_bytes()
        started = time.perf_counter()
        driver = Driver(
            port, cache=cache, options=DriverOptions(cache_save_delay=0.5, send_to_sleep_delay=0.2)
        )
        await driver.start()
        await driver.wait_for_nodes_ready(timeout=1800)
        # Wake the battery devices (repeatedly: an interview pauses when a device sleeps again).
        while any(not n.ready for n in driver.nodes.values()):
            proc.stdin.write(b"wake\n")
            await proc.stdin.drain()
            await asyncio.sleep(5.0)
        result["interview_s"] = time.perf_counter() - started
        await asyncio.sleep(1.0)
        gc.collect()
        result["rss_delta"] = rss_bytes() - rss_before
        result["nodes"] = len(driver.nodes)
        result["values"] = sum(len(n.values()) for n in driver.nodes.values())
        await driver.stop()
        del driver
        gc.collect()

        tracemalloc.start()
        gc.collect()
        base = tracemalloc.take_snapshot()
        warm = Driver(port, cache=cache, options=DriverOptions())
        await warm.start()
        await warm.wait_for_nodes_ready(timeout=60, include_sleeping=True)
        gc.collect()
        snap = tracemalloc.take_snapshot()
        result["traced"] = sum(s.size_diff for s in snap.compare_to(base, "filename"))
        result["ready"] = sum(1 for n in warm.nodes.values() if n.ready)
        top = snap.compare_to(base, "filename")[:6]
        result["top"] = top  # type: ignore[assignment]
        await warm.stop()
        tracemalloc.stop()
    finally:
        proc.stdin.close()
        try:
            await asyncio.wait_for(proc.wait(), 10)
        except TimeoutError:
            proc.terminate()
            await proc.wait()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=232, help="highest node id (default 232)")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    quiet_logging(args.verbose)
    r = asyncio.run(run(args.nodes))
    nodes = int(r["nodes"])
    rss_per_node = r["rss_delta"] / nodes / KIB
    traced_per_node = r["traced"] / nodes / KIB
    print(
        f"Driver memory for a {nodes}-node network ({int(r['values']):,} values; "
        f"cold interview {r['interview_s']:.0f} s, fast radio; warm start: {int(r['ready'])} nodes ready)\n"
    )
    print(
        table(
            ["measure", "total KiB", "KiB per node", "target"],
            [
                ["RSS delta after the cold start (interviewed)", r["rss_delta"] / KIB, rss_per_node, "<= 50"],
                [
                    "Python heap of a warm-started driver (tracemalloc)",
                    r["traced"] / KIB,
                    traced_per_node,
                    "<= 50",
                ],
            ],
        )
    )
    print("\nLargest allocation sites of the warm-started driver (tracemalloc, by file):")
    for stat in r["top"]:  # type: ignore[attr-defined]
        frame = stat.traceback[0]
        print(f"  {stat.size_diff / KIB:9.1f} KiB  {frame.filename.replace(str(REPO) + '/', '')}")
    ok = rss_per_node <= 50 and traced_per_node <= 50
    print("\nRESULT: " + ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
