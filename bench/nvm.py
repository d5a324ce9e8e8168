"""NVM benchmark: backup and restore time against the 115200-baud wire time of the image.

A virtual stick of each series (500: 32 KiB NVM read 168 bytes at a time, ``--gen5``: a
256 KiB Z-Stick Gen5 read 48 at a time; 700: 48 KiB, 64 bytes per read as real firmware)
on a pty.  Every byte of every frame and ACK both ways is counted; a real 115200-baud line
(10 bits per byte, one direction at a time in this request/response protocol) needs their
wire time, and on top of it whatever the host software adds between frames, which is
measured: the run is timed with the stick answering at once.  (``--paced`` lets the virtual
stick pace its output instead; its sleeps round up to the event loop's millisecond timers,
so that mode overstates the time.)  Per operation:

* ``ratio``: (wire time of all bytes + measured software time) / wire time of the image;
  the target is <= 1.15;
* ``floor``: wire time of all bytes / wire time of the image: the framing cost at the
  stick's chunk size, what a host with no software time at all would reach;
* ``sw ms/frame``: the measured software time per request.

A restore is three passes (the pre-restore backup, the write, the read-back check); each
pass is a line of its own, against the bytes that pass moved.
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
from custom_components.zwave_serial.zwave import Driver, DriverOptions, MemoryCache
from custom_components.zwave_serial.zwave.frame import Frame
from custom_components.zwave_serial.zwave.nvm import NvmProgressEvent
from custom_components.zwave_serial.zwave.sim.demo import start_demo

BAUD = 115200
TARGET = 1.15


def wire(nbytes: int) -> float:
    return nbytes * 10 / BAUD


class Meter:
    """Counts the bytes crossing the line and when each progress phase starts."""

    def __init__(self) -> None:
        self.host = self.stick = self.requests = 0
        self.marks: list[tuple[Any, ...]] = []

    def frame(self, direction: str, frame: Frame) -> None:
        size = len(frame.to_bytes())
        if direction == "out":
            self.host += size
            self.stick += 1  # the stick's ACK
            self.requests += 1
        else:
            self.stick += size
            self.host += 1  # the host's ACK

    def event(self, event: object) -> None:
        if isinstance(event, NvmProgressEvent) and (not self.marks or self.marks[-1][:2] != (event.operation, event.phase)):
            self.marks.append((event.operation, event.phase, time.perf_counter(), self.host, self.stick, self.requests, event.total))

    def snapshot(self, label: str) -> tuple[Any, ...]:
        return ("", label, time.perf_counter(), self.host, self.stick, self.requests, 0)


def _row(name: str, start: tuple[Any, ...], end: tuple[Any, ...], image: int, paced: bool) -> list[Any]:
    seconds = end[2] - start[2]
    host, stick, requests = end[3] - start[3], end[4] - start[4], max(1, end[5] - start[5])
    floor = wire(host + stick)
    total = seconds + wire(host) if paced else floor + seconds
    software = (seconds - wire(stick)) if paced else seconds
    return [name, image, total, total / wire(image), floor / wire(image), software * 1000 / requests]


async def run(series: str, profile: str, paced: bool) -> list[list[Any]]:
    nvm = {"profile": profile} if series == "500" else None
    demo = await start_demo("pty", series=series, nvm=nvm, pace=paced, waiting=False)
    meter = Meter()
    driver = Driver(demo.port, cache=MemoryCache(), options=DriverOptions(soft_reset_timeout=2.0))
    driver.frame_observer = meter.frame
    driver.subscribe(meter.event)
    try:
        await driver.start()
        await driver.wait_for_nodes_ready(timeout=120)
        start = meter.snapshot("backup")
        data = await driver.nvm.backup()
        marks = {m[1]: m for m in meter.marks if m[0] == "backup"}
        size = len(data)
        rows = [_row("backup (read)", start, marks.get("restarting") or marks["done"], size, paced)]
        rows.append(_row("backup (with restart)", start, marks["done"], size, paced))
        meter.marks.clear()
        start = meter.snapshot("restore")
        await driver.nvm.restore(data)
        marks = {m[1]: m for m in meter.marks if m[0] == "restore"}
        written = marks["writing"][6]
        rows.append(_row("restore: pre-restore read", start, marks["writing"], size, paced))
        rows.append(_row("restore: write", marks["writing"], marks["verifying"], written, paced))
        rows.append(_row("restore: read-back check", marks["verifying"], marks["restarting"], written, paced))
        rows.append(_row("restore (whole)", start, marks["done"], size, paced))
    finally:
        await driver.stop()
        await demo.stop()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--series", choices=("500", "700", "both"), default="both")
    parser.add_argument("--gen5", action="store_true", help="500 series: a 256 KiB Z-Stick Gen5 (48-byte reads)")
    parser.add_argument("--paced", action="store_true", help="let the virtual stick pace its output at 115200 baud")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    quiet_logging(args.verbose)
    ok = True
    for series in ("500", "700") if args.series == "both" else (args.series,):
        profile = "zstick_gen5" if args.gen5 else "generic"
        rows = asyncio.run(run(series, profile, args.paced))
        label = f"{series} series" + (" (Z-Stick Gen5 profile)" if series == "500" and args.gen5 else "")
        print(f"\n{label}, 115200 baud")
        print(table(["operation", "bytes", "seconds", "ratio", "floor", "sw ms/frame"], rows))
        for row in rows:
            if row[0] in ("backup (read)", "restore: write"):
                met = row[3] <= TARGET
                ok &= met
                why = "" if met else f" (the stick's chunk size alone costs {row[4]:.2f}x)"
                print(f"  {row[0]}: {row[3]:.2f}x wire time, target <= {TARGET}: {'met' if met else 'NOT met'}{why}")
    print("\nRESULT: " + ("PASS" if ok else "FAIL (see the floor column)"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
