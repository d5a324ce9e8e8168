"""Interoperability benchmark: time to every node interviewed against Z-Wave JS's mock controller.

Starts a fresh mock (``../shared/tools/zjs-mock``, Z-Wave JS 15.29's MockController with five
nodes) for each run and measures, from opening the port to every node ready:

* ours: ``Driver.start()`` + ``wait_for_nodes_ready()``;
* Z-Wave JS's own driver on the same mock (``bench/zjs_driver_ready.cjs``, from the zwave-js
  package the mock installed), to "all nodes ready".

Prints both medians and ours / Z-Wave JS as a ratio (target <= 1.0).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import quiet_logging, table
from bench._zjs_mock import REPO, start_mock, unavailable_reason
from custom_components.zwave_serial.zwave import Driver, DriverOptions

ZJS_HOME = Path.home() / ".cache" / "zjs-mock-15.29.0"


async def ours(url: str) -> tuple[float, int]:
    started = time.perf_counter()
    driver = Driver(url, options=DriverOptions(report_timeout=5.0))
    await driver.start()
    try:
        await driver.wait_for_nodes_ready(timeout=120)
        elapsed = time.perf_counter() - started
        ready = sum(1 for n in driver.nodes.values() if n.ready)
    finally:
        await driver.stop()
    return elapsed, ready


def zwave_js(port: int) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as cache:
        out = subprocess.run(
            ["node", str(REPO / "bench" / "zjs_driver_ready.cjs"), str(port), str(ZJS_HOME / "node_modules"), cache],
            capture_output=True, text=True, timeout=180, check=False,
        )
    line = (out.stdout.strip().splitlines() or ["{}"])[-1]
    result = json.loads(line)
    if "seconds" not in result:
        raise RuntimeError(f"Z-Wave JS's driver failed: {result} {out.stderr[-500:]}")
    return float(result["seconds"]), sum(1 for n in result["nodes"] if n["ready"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="runs of each driver (median reported)")
    parser.add_argument("--no-zwave-js", action="store_true", help="time only our driver")
    args = parser.parse_args()
    reason = unavailable_reason()
    if reason:
        print(f"SKIP: {reason}")
        return 0
    quiet_logging()
    logs = Path(tempfile.mkdtemp(prefix="interop-"))
    results: dict[str, list[float]] = {"ours": [], "Z-Wave JS": []}
    for _ in range(args.runs):
        mock = start_mock(logs)
        try:
            seconds, ready = asyncio.run(ours(mock.url))
        finally:
            mock.stop()
        print(f"ours: {ready} nodes ready in {seconds:.2f} s", flush=True)
        results["ours"].append(seconds)
        if args.no_zwave_js:
            continue
        mock = start_mock(logs)
        try:
            seconds, ready = zwave_js(mock.port)
        finally:
            mock.stop()
        print(f"Z-Wave JS: {ready} nodes ready in {seconds:.2f} s", flush=True)
        results["Z-Wave JS"].append(seconds)
    rows = [(name, f"{statistics.median(v):.2f} s", f"{min(v):.2f}-{max(v):.2f} s") for name, v in results.items() if v]
    print(table(("driver", "median to all ready", "range"), rows))
    if results["Z-Wave JS"]:
        ratio = statistics.median(results["ours"]) / statistics.median(results["Z-Wave JS"])
        print(f"RESULT ours / Z-Wave JS = {ratio:.2f}x (target <= 1.0): {'PASS' if ratio <= 1.0 else 'FAIL'}")
        return 0 if ratio <= 1.0 else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
