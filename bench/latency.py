"""Latency benchmark: the driver's host-side time per command round trip vs. the wire time.

The virtual stick runs in a separate process (``python -m ...zwave.sim --pace``) and paces its
output at 115200 baud, so the driver process only runs the driver.  For each round trip
(a Binary Switch Get answered by a Report; a supervised Binary Switch Set answered by a
Supervision Report) it measures, with hooks on the driver's link:

* out: API call -> the SendData frame's bytes handed to the serial port;
* in:  the last byte of the answering frame handed to the driver -> value event (Get) /
  the API call returns (Set);
* wire: the bytes of every frame of the round trip, both directions, ACKs included, at
  115200 baud (10 bits per byte);
* total: API call -> result (wall clock: wire + radio + host).

The host overhead is given as wall-clock time and as this thread's CPU time over the same
intervals: on a busy machine the wall-clock p99 includes time the process was preempted by
others, the CPU time only the driver's own work.

Target (issue 4): host overhead (out + in) <= 10 % of the wire time at p99.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import percentile, quiet_logging, table
from custom_components.zwave_serial.zwave import (
    CommandClass,
    Driver,
    DriverOptions,
    MemoryCache,
    ValueUpdatedEvent,
)
from custom_components.zwave_serial.zwave.cc.switch_binary import SwitchBinaryGet

REPO = Path(__file__).resolve().parent.parent
BAUD = 115200
BITS_PER_BYTE = 10
SOF, SEND_DATA = 0x01, 0x13


@dataclass
class _Probe:
    """Hooks on the driver's link: byte counts and timestamps of writes, reads and events."""

    written: int = 0
    read: int = 0
    first_send_data_at: float | None = None
    last_chunk_at: float = 0.0
    event_chunk_at: float | None = None
    event_at: float | None = None
    # The same instants in this thread's CPU time (host work without preemption by other processes).
    cpu_send: float = 0.0
    cpu_chunk: float = 0.0
    cpu_event_chunk: float = 0.0
    cpu_event: float = 0.0
    samples: dict[str, list[float]] = field(default_factory=dict)

    def reset(self) -> None:
        self.written = self.read = 0
        self.first_send_data_at = self.event_chunk_at = self.event_at = None

    def install(self, driver: Driver) -> None:
        link: Any = driver._link
        write, data_received = link._write, link.data_received

        def _write(data: bytes) -> None:
            if self.first_send_data_at is None and len(data) > 3 and data[0] == SOF and data[3] == SEND_DATA:
                self.first_send_data_at = time.perf_counter()
                self.cpu_send = time.thread_time()
            self.written += len(data)
            write(data)

        def _data_received(data: bytes) -> None:
            self.last_chunk_at = time.perf_counter()
            self.cpu_chunk = time.thread_time()
            self.read += len(data)
            data_received(data)

        link._write = _write
        link.data_received = _data_received

        def on_event(event: object) -> None:
            if isinstance(event, ValueUpdatedEvent) and self.event_at is None:
                self.event_at = time.perf_counter()
                self.event_chunk_at = self.last_chunk_at
                self.cpu_event = time.thread_time()
                self.cpu_event_chunk = self.cpu_chunk

        driver.subscribe(on_event)

    def add(self, name: str, value: float) -> None:
        self.samples.setdefault(name, []).append(value)


async def _start_stick() -> tuple[asyncio.subprocess.Process, str]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "custom_components.zwave_serial.zwave.sim",
        "--pace",
        cwd=str(REPO),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    assert proc.stdout is not None
    port = (await asyncio.wait_for(proc.stdout.readline(), 30)).decode().strip()
    return proc, port


async def run(rounds: int) -> _Probe:
    proc, port = await _start_stick()
    probe = _Probe()
    driver = Driver(port, cache=MemoryCache(), options=DriverOptions(verify_delay=0.02))
    try:
        await driver.start()
        await driver.wait_for_nodes_ready(timeout=120)
        probe.install(driver)
        node = driver.nodes[2]
        await asyncio.sleep(0.5)
        for i in range(rounds):
            for kind in ("get", "set"):
                probe.reset()
                cpu_start = time.thread_time()
                start = time.perf_counter()
                if kind == "get":
                    await node.get(SwitchBinaryGet())
                else:
                    await node.set_value(CommandClass.SWITCH_BINARY, "target_value", bool(i % 2))
                end = time.perf_counter()
                cpu_end = time.thread_time()
                assert probe.first_send_data_at is not None
                out = probe.first_send_data_at - start
                wire = (probe.written + probe.read) * BITS_PER_BYTE / BAUD
                if kind == "get":
                    assert probe.event_at is not None and probe.event_chunk_at is not None
                    inbound = probe.event_at - probe.event_chunk_at
                    cpu = (probe.cpu_send - cpu_start) + (probe.cpu_event - probe.cpu_event_chunk)
                    probe.add("get: report received -> call returns", end - probe.event_chunk_at)
                else:
                    inbound = end - probe.last_chunk_at
                    cpu = (probe.cpu_send - cpu_start) + (cpu_end - probe.cpu_chunk)
                probe.add(f"{kind}: call -> bytes written", out)
                probe.add(
                    f"{kind}: frame received -> {'value event' if kind == 'get' else 'call returns'}", inbound
                )
                probe.add(f"{kind}: host overhead (out + in)", out + inbound)
                probe.add(f"{kind}: wire time of its frames", wire)
                probe.add(f"{kind}: round trip (wall)", end - start)
                probe.add(f"{kind}: overhead / wire", (out + inbound) / wire)
                probe.add(f"{kind}: host CPU time (out + in)", cpu)
                probe.add(f"{kind}: CPU overhead / wire", cpu / wire)
                probe.add(f"{kind}: wire bytes", probe.written + probe.read)
                # Let the read-back of a Set (and any straggler) pass before the next round trip.
                await asyncio.sleep(0.08 if kind == "set" else 0.005)
    finally:
        await driver.stop()
        proc.terminate()
        await proc.wait()
    return probe


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=300, help="round trips of each kind (default 300)")
    parser.add_argument("--no-gc", action="store_true", help="disable the garbage collector while measuring")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    quiet_logging(args.verbose)
    if args.no_gc:
        gc.disable()
    probe = asyncio.run(run(args.rounds))
    print(f"Round-trip latency, {args.rounds} of each kind, stick paced at {BAUD} baud (separate process)\n")
    rows = []
    for name, values in probe.samples.items():
        if name.endswith("/ wire"):
            rows.append([name, f"{percentile(values, 50):.1%}", f"{percentile(values, 99):.1%}", ""])
        elif name.endswith("wire bytes"):
            rows.append([name, percentile(values, 50), percentile(values, 99), ""])
        else:
            rows.append([name, 1e3 * percentile(values, 50), 1e3 * percentile(values, 99), "ms"])
    print(table(["measure", "p50", "p99", "unit"], rows))
    ok = True
    print()
    verdict = []
    for kind in ("get", "set"):
        wire = percentile(probe.samples[f"{kind}: wire time of its frames"], 50)
        for label, key in (("wall", "host overhead (out + in)"), ("CPU", "host CPU time (out + in)")):
            ratio = percentile(probe.samples[f"{kind}: {key}"], 99) / wire
            ok &= ratio <= 0.10
            verdict.append([f"{kind}: p99 host overhead ({label}) / wire time", f"{ratio:.1%}", "<= 10%"])
    print(table(["ratio", "value", "target"], verdict))
    print("\nRESULT: " + ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
