"""Start-up benchmark: cold start (full interview) vs warm start (from the cache) of a large network.

A virtual network of ``--nodes`` nodes (default 232: the stick + 231 devices, of which every 10th
is a sleeping battery sensor and every 25th a FLiRS door lock) with realistic radio latency
(20-40 ms per hop, 1 s wake-up beam for FLiRS).  The sleeping sensors are woken once during
the cold start so that every node completes its interview.

* cold: empty cache -> ``Driver.start()`` and every node (sleeping ones included) interviewed;
* warm: a new driver on the cache the cold run saved -> ready.

Prints seconds and frames exchanged (data frames both ways) for each, the warm/cold ratios and
how many nodes the warm start re-interviewed (target: 0, and <= 5 % of the cold start's frames).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import quiet_logging, table
from bench._network import build_large_network, radio_config
from custom_components.zwave_serial.zwave import (
    Driver,
    DriverOptions,
    MemoryCache,
    NodeInterviewStageEvent,
)
from custom_components.zwave_serial.zwave.sim.stick import VirtualStick


async def _start(port: str, cache: MemoryCache, stick: VirtualStick, sleeping: list[int]) -> dict[str, Any]:
    interviewed: set[int] = set()
    stages = 0

    def on_event(event: object) -> None:
        nonlocal stages
        if isinstance(event, NodeInterviewStageEvent) and event.stage != "complete":
            stages += 1
            interviewed.add(event.node_id)

    options = DriverOptions(cache_save_delay=0.5, send_to_sleep_delay=0.2)
    driver = Driver(port, cache=cache, options=options)
    driver.subscribe(on_event)
    link_before = stick.link_counters.as_dict()
    started = time.perf_counter()
    await driver.start()
    connected = time.perf_counter() - started
    try:
        await driver.wait_for_nodes_ready(timeout=3600)
        # Battery devices wake up on their own schedule (here: every few seconds until their
        # interview is complete; it pauses when a device falls asleep again).
        while pending := [n for n in sleeping if not driver.nodes[n].ready]:
            for node_id in pending:
                if not stick.node(node_id).awake:
                    stick.node(node_id).wake_up()
            await asyncio.sleep(2.0)
        await driver.wait_for_nodes_ready(timeout=3600, include_sleeping=True)
        seconds = time.perf_counter() - started
        stats = driver.statistics()
    finally:
        await driver.stop()
    link_after = stick.link_counters.as_dict()
    return {
        "seconds": seconds,
        "connected": connected,
        "frames_sent": stats["frames_sent"],
        "frames_received": stats["frames_received"],
        "frames": stats["frames_sent"] + stats["frames_received"],
        "bytes_hint": link_after["frames_sent"] - link_before["frames_sent"],
        "interviewed": len(interviewed),
        "stages": stages,
        "ready": sum(1 for n in driver.nodes.values() if n.ready),
        "nodes": len(driver.nodes),
    }


async def run(nodes: int, radio: str) -> tuple[dict[str, Any], dict[str, Any]]:
    stick = VirtualStick(radio=radio_config(radio))
    sleeping = build_large_network(stick, nodes)
    port = await stick.start_pty()
    try:
        cache = MemoryCache()
        cold = await _start(port, cache, stick, sleeping)
        # Let the sleeping devices go back to sleep (as they would between the two starts).
        for node_id in sleeping:
            stick.node(node_id).go_to_sleep()
        warm = await _start(port, cache, stick, sleeping)
    finally:
        await stick.stop()
    return cold, warm


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=232, help="highest node id (default 232)")
    parser.add_argument("--radio", choices=("fast", "realistic"), default="realistic")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    quiet_logging(args.verbose)
    cold, warm = asyncio.run(run(args.nodes, args.radio))
    print(f"Start-up of a {cold['nodes']}-node virtual network ({args.radio} radio)\n")
    rows = [
        [
            name,
            r["seconds"],
            r["connected"],
            r["frames_sent"],
            r["frames_received"],
            r["frames"],
            r["interviewed"],
            f"{r['ready']}/{r['nodes']}",
        ]
        for name, r in (("cold (full interview)", cold), ("warm (from cache)", warm))
    ]
    print(
        table(
            [
                "start",
                "seconds",
                "start() s",
                "frames sent",
                "frames received",
                "frames",
                "interviewed",
                "ready",
            ],
            rows,
        )
    )
    time_ratio = warm["seconds"] / cold["seconds"]
    frame_ratio = warm["frames"] / cold["frames"]
    print()
    print(
        table(
            ["ratio warm/cold", "value", "target"],
            [
                ["time", f"{time_ratio:.2%}", "-"],
                ["frames", f"{frame_ratio:.2%}", "<= 5%"],
                ["nodes re-interviewed on warm start", warm["interviewed"], "0"],
            ],
        )
    )
    ok = warm["interviewed"] == 0 and frame_ratio <= 0.05 and warm["ready"] == warm["nodes"]
    print("\nRESULT: " + ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
