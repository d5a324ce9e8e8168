"""Heal benchmark: how much slower a user's command gets while the network is healed.

A meshed network (``zwave/sim/bignet.py``: 30 listening switches over 3 hop distances and 3
sleeping sensors by default) on a *strict* virtual stick with realistic radio timings (20-40 ms
per hop) and realistic neighbour updates (2 s + 0.5 s per neighbour, at most 12 s; sources in
``zwave/sim/timing.py``).  User commands arrive at random (a Poisson process, mean interval
``--interval``), each one independently of the others (open loop), alternating a Binary Switch
Get round trip and a Binary Switch Set (with its verification); the latency is arrival ->
result.  First while idle, then during a full network heal.

Commands go to random switches, the node under a neighbour update included (same traffic model
idle and during the heal).

Printed: p50 / p99 / max latency idle and during the heal, their ratios (target p99 <= 1.5x),
the heal's total time, and which commands went to the node whose neighbour update was running
(those wait for its end: the node is busy probing its neighbours; commands to other nodes go out
during the update, see ``zwave/serialapi/gate.py``), and how many SendData reached a node while
it was probing (the strict stick records them; must be 0).

    scripts/bench heal [--nodes 30] [--sleeping 3] [--interval 2] [--idle-samples 100]
                       [--neighbor-update-time S]   (fixed duration, e.g. 0.1 as the old stick)
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import percentile, quiet_logging, table
from custom_components.zwave_serial.zwave import CommandClass, Driver, DriverOptions, MemoryCache, ZWaveError
from custom_components.zwave_serial.zwave.cc.switch_binary import SwitchBinaryGet
from custom_components.zwave_serial.zwave.frame import Frame, FrameType
from custom_components.zwave_serial.zwave.sim.bignet import build_mesh
from custom_components.zwave_serial.zwave.sim.radio import RadioConfig
from custom_components.zwave_serial.zwave.sim.stick import VirtualStick

NEIGHBOR_UPDATE = 0x48
TARGET_RATIO = 1.5


@dataclass
class Sample:
    kind: str
    node_id: int
    start: float
    end: float
    ok: bool

    @property
    def latency(self) -> float:
        return self.end - self.start


@dataclass
class HealReport:
    nodes: int
    idle: list[Sample] = field(default_factory=list)
    heal: list[Sample] = field(default_factory=list)
    heal_seconds: float = 0.0
    results: dict[int, str] = field(default_factory=dict)
    # neighbour updates: (start, end, node)
    updates: list[tuple[float, float, int]] = field(default_factory=list)
    overlap_refusals: int = 0
    sends_to_busy_node: int = 0
    interview_seconds: float = 0.0

    def behind_update(self, sample: Sample) -> bool:
        """Did the command go to a node while that node's neighbour update ran?"""
        return any(
            start < sample.end and end > sample.start and node == sample.node_id
            for start, end, node in self.updates
        )

    def stats(self, samples: list[Sample]) -> tuple[float, float, float]:
        values = [s.latency for s in samples if s.ok]
        return percentile(values, 50), percentile(values, 99), max(values, default=float("nan"))

    def ratios(self) -> tuple[float, float]:
        idle50, idle99, _ = self.stats(self.idle)
        heal50, heal99, _ = self.stats(self.heal)
        return heal50 / idle50, heal99 / idle99

    def format(self) -> str:
        rows = []
        behind = [s for s in self.heal if self.behind_update(s)]
        free = [s for s in self.heal if not self.behind_update(s)]
        for name, samples in (
            ("idle", self.idle),
            ("during heal (all)", self.heal),
            ("  to the node under a neighbour update", behind),
            ("  the others", free),
        ):
            p50, p99, top = self.stats(samples)
            failed = sum(1 for s in samples if not s.ok)
            rows.append([name, len(samples), failed, 1e3 * p50, 1e3 * p99, 1e3 * top])
        out = [table(["user commands", "n", "failed", "p50 ms", "p99 ms", "max ms"], rows), ""]
        r50, r99 = self.ratios()
        _, free99, _ = self.stats(free)
        _, idle99, _ = self.stats(self.idle)
        counts = {
            s: sum(1 for v in self.results.values() if v == s)
            for s in ("done", "failed", "queued", "skipped")
        }
        lengths = [end - start for start, end, _ in self.updates]
        out.append(
            table(
                ["measure", "value", "target"],
                [
                    ["p50 during heal / idle", f"{r50:.2f}x", ""],
                    ["p99 during heal / idle", f"{r99:.2f}x", f"<= {TARGET_RATIO}x"],
                    ["p99 of commands to other nodes / idle", f"{free99 / idle99:.2f}x", ""],
                    ["heal total time", f"{self.heal_seconds:.1f} s", ""],
                    [
                        "neighbour updates (n, mean s)",
                        f"{len(lengths)}, {sum(lengths) / max(1, len(lengths)):.1f}",
                        "",
                    ],
                    ["heal results", ", ".join(f"{k} {v}" for k, v in counts.items()), ""],
                    ["strict-stick overlap refusals", self.overlap_refusals, "0"],
                    ["SendData to a node while it probed", self.sends_to_busy_node, "0"],
                ],
            )
        )
        return "\n".join(out)


async def _user_traffic(
    switches: list[Any],
    rng: random.Random,
    interval: float,
    out: list[Sample],
    stop: asyncio.Event,
    limit: int,
) -> None:
    """Open-loop Poisson arrivals until ``stop`` is set (or ``limit`` commands)."""
    tasks: set[asyncio.Task[None]] = set()

    async def one(number: int) -> None:
        node = rng.choice(switches)
        kind = "get" if number % 2 == 0 else "set"
        start = time.perf_counter()
        ok = True
        try:
            if kind == "get":
                await node.get(SwitchBinaryGet())
            else:
                await node.set_value(CommandClass.SWITCH_BINARY, "target_value", bool(number % 4 == 1))
        except ZWaveError:
            ok = False
        out.append(Sample(kind, node.node_id, start, time.perf_counter(), ok))

    number = 0
    while not stop.is_set() and number < limit:
        task = asyncio.get_running_loop().create_task(one(number))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        number += 1
        try:
            await asyncio.wait_for(stop.wait(), rng.expovariate(1 / interval))
        except TimeoutError:
            pass
    if tasks:
        await asyncio.gather(*tasks)


async def run_heal_bench(
    nodes: int = 30,
    sleeping: int = 3,
    layers: int = 3,
    interval: float = 2.0,
    idle_samples: int = 100,
    radio: str = "realistic",
    neighbor_update_time: float | None = None,
    seed: int = 1,
) -> HealReport:
    """Build the network, measure idle, then during a heal; returns the report."""
    radio_config = RadioConfig.realistic() if radio == "realistic" else RadioConfig.fast()
    radio_config.seed = seed
    stick = VirtualStick(
        radio=radio_config, strict=True, neighbor_update_time=neighbor_update_time, seed=seed
    )
    build_mesh(stick, listening=nodes, sleeping=sleeping, layers=layers)
    port = await stick.start_pty()
    report = HealReport(nodes + sleeping)
    driver = Driver(port, cache=MemoryCache(), options=DriverOptions())
    opened: dict[str, tuple[float, int]] = {}

    def observe(direction: str, frame: Frame) -> None:
        if frame.type != FrameType.REQUEST or frame.function != NEIGHBOR_UPDATE:
            return
        now = time.perf_counter()
        if direction == "out":
            opened["at"] = (now, frame.payload[0])
        elif len(frame.payload) > 1 and frame.payload[1] != 0x21 and "at" in opened:  # done / failed
            start, node_id = opened.pop("at")
            report.updates.append((start, now, node_id))

    driver.frame_observer = observe
    rng = random.Random(seed)
    try:
        started = time.perf_counter()
        await driver.start()
        await driver.wait_for_nodes_ready(timeout=900)
        report.interview_seconds = time.perf_counter() - started
        switches = [
            n for n in driver.nodes.values() if not n.is_controller and n.supports(CommandClass.SWITCH_BINARY)
        ]
        idle_stop = asyncio.Event()
        await _user_traffic(switches, rng, interval, report.idle, idle_stop, idle_samples)
        await asyncio.sleep(1.0)
        heal_stop = asyncio.Event()
        traffic = asyncio.get_running_loop().create_task(
            _user_traffic(switches, rng, interval, report.heal, heal_stop, 1 << 30)
        )
        started = time.perf_counter()
        report.results = await driver.heal_network()
        report.heal_seconds = time.perf_counter() - started
        heal_stop.set()
        await traffic
    finally:
        await driver.stop()
        report.overlap_refusals = stick.overlap_refusals
        report.sends_to_busy_node = len(stick.jobs.sends_to_busy_node)
        await stick.stop()
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=30, help="listening nodes (default 30)")
    parser.add_argument("--sleeping", type=int, default=3, help="sleeping sensors (default 3)")
    parser.add_argument("--layers", type=int, default=3, help="hop distances (default 3)")
    parser.add_argument(
        "--interval", type=float, default=2.0, help="mean s between user commands (default 2)"
    )
    parser.add_argument(
        "--idle-samples", type=int, default=100, help="user commands measured idle (default 100)"
    )
    parser.add_argument("--radio", choices=("fast", "realistic"), default="realistic")
    parser.add_argument(
        "--neighbor-update-time",
        type=float,
        default=None,
        help="fixed neighbour-update time in s (default: realistic)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    quiet_logging(args.verbose)
    report = asyncio.run(
        run_heal_bench(
            args.nodes,
            args.sleeping,
            args.layers,
            args.interval,
            args.idle_samples,
            args.radio,
            args.neighbor_update_time,
            args.seed,
        )
    )
    print(
        f"Heal benchmark: {report.nodes} nodes ({args.sleeping} sleeping, {args.layers} hop distances), "
        f"{args.radio} radio, neighbour updates "
        + (
            f"{args.neighbor_update_time:g} s"
            if args.neighbor_update_time is not None
            else f"{args.radio} profile"
        )
        + f", a user command every {args.interval:g} s on average (interviews took {report.interview_seconds:.0f} s)\n"
    )
    print(report.format())
    _, r99 = report.ratios()
    ok = r99 <= TARGET_RATIO and report.overlap_refusals == 0
    print("\nRESULT: " + ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
