"""Throughput benchmark: frames decoded per second and CPU microseconds per frame.

A stream of realistic frames from a stick (reports of switches, dimmers, sensors, meters,
locks and notifications - some Supervision- or Multi-Channel-encapsulated -, SendData responses
and TX-status callbacks) is fed in 64-byte reads through the receive path, stage by stage:

1. ``FrameParser`` (bytes -> frames);
2. + Serial API decode (the function table's response / callback decoders);
3. + encapsulation unwrap and command-class decode (``encap.unwrap``).

Each stage is timed separately (wall and process CPU time); the table compares the decoding
rate with what a 115200-baud link can deliver (10 bits per byte, one ACK per frame).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import table
from custom_components.zwave_serial.zwave.errors import DecodeError
from custom_components.zwave_serial.zwave.frame import Frame, FrameParser, FrameType
from custom_components.zwave_serial.zwave.messaging import encap
from custom_components.zwave_serial.zwave.serialapi import get_function

BAUD = 115200
CHUNK = 64

#: Command-class payloads as devices send them (hex).
_REPORTS = [
    "25 03 ff ff 00",  # Switch Binary Report
    "26 03 32 32 00",  # Switch Multilevel Report
    "31 05 01 22 00 d7",  # Sensor Multilevel: air temperature 21.5 °C
    "31 05 05 01 2d",  # Sensor Multilevel: humidity 45 %
    "32 02 21 74 00 00 04 d2 00 00",  # Meter: 123.4 W
    "32 02 21 44 00 00 04 d2 00 00",  # Meter: 12.34 kWh
    "71 05 00 00 00 ff 07 08 00",  # Notification: motion
    "30 03 ff 0c",  # Sensor Binary: motion
    "62 03 ff 00 05 fe fe ff 00",  # Door Lock Operation Report
    "80 03 5a",  # Battery 90 %
    "6c 01 05 09 62 03 00 00 07 fe fe 00 00",  # Supervision GET around a Door Lock report
    "60 0d 01 00 25 03 00 00 00",  # Multi Channel encap: endpoint 1 switch report
    "6c 02 05 ff 00",  # Supervision Report SUCCESS
    "84 07",  # Wake Up Notification
]


def build_frames(count: int, seed: int = 1) -> list[Frame]:
    """A representative mix: 60 % application commands, 20 % responses, 20 % TX callbacks."""
    rng = random.Random(seed)
    reports = [bytes.fromhex(r) for r in _REPORTS]
    frames: list[Frame] = []
    for _ in range(count):
        kind = rng.random()
        node = rng.randrange(2, 233)
        if kind < 0.6:
            cc = rng.choice(reports)
            frames.append(Frame.request(0x04, bytes((0x00, node, len(cc))) + cc))
        elif kind < 0.8:
            frames.append(Frame.response(0x13, b"\x01"))
        else:
            cbid = rng.randrange(1, 256)
            tx_report = bytes.fromhex("00 03 00 c4 7f 7f 7f 7f 00 00 03 00 00 00 00 01 00 7f 7f")
            frames.append(Frame.request(0x13, bytes((cbid, 0x00)) + tx_report))
    return frames


def _serialapi(frame: Frame) -> object:
    definition = get_function(frame.function)
    if definition is None:
        return None
    decoder = definition.decode_response if frame.type == FrameType.RESPONSE else definition.decode_callback
    return decoder(frame.payload) if decoder else None


def run_stage(data: bytes, stage: int) -> tuple[int, float, float, int]:
    """Feed ``data`` through stages 1..``stage``; return (frames, wall s, cpu s, errors)."""
    parser = FrameParser()
    frames = errors = 0
    wall, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(data), CHUNK):
        for token in parser.feed(data[start : start + CHUNK]):
            if not isinstance(token, Frame):
                continue
            frames += 1
            if stage < 2:
                continue
            try:
                message = _serialapi(token)
                if stage >= 3 and token.function == 0x04 and token.type == FrameType.REQUEST:
                    unwrapped = encap.unwrap(message.command)  # type: ignore[attr-defined]
                    for _endpoint, command in unwrapped.commands:
                        command.value_updates()
            except DecodeError:
                errors += 1
    return frames, time.perf_counter() - wall, time.process_time() - cpu, errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--frames", type=int, default=100_000, help="frames in the stream (default 100000)")
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs per stage (default 3)")
    args = parser.parse_args(argv)
    frames = build_frames(args.frames)
    data = b"".join(f.to_bytes() for f in frames)
    avg_len = len(data) / len(frames)
    wire_rate = BAUD / 10 / (avg_len + 1)  # frames/s the link can carry (plus one ACK each)
    stages: list[tuple[str, Callable[[], tuple[int, float, float, int]]]] = [
        ("1 FrameParser", lambda: run_stage(data, 1)),
        ("2 + Serial API decode", lambda: run_stage(data, 2)),
        ("3 + unwrap + CC decode (+ value updates)", lambda: run_stage(data, 3)),
    ]
    rows = []
    for name, func in stages:
        best = min((func() for _ in range(args.repeat)), key=lambda r: r[2])
        count, wall, cpu, errors = best
        assert count == len(frames) and errors == 0, (name, count, errors)
        rate = count / cpu
        rows.append([name, count, rate, 1e6 * cpu / count, 1e6 * wall / count, f"{rate / wire_rate:.0f}x"])
    print(
        f"Receive-path throughput: {len(frames):,} frames, {len(data):,} bytes "
        f"(average frame {avg_len:.1f} bytes), fed in {CHUNK}-byte reads; best of {args.repeat}\n"
    )
    print(
        table(["stage", "frames", "frames/s (CPU)", "CPU µs/frame", "wall µs/frame", "vs 115200 baud"], rows)
    )
    print(
        f"\nA 115200-baud link carries at most {wire_rate:,.0f} such frames/s "
        f"({1e6 / wire_rate:,.0f} µs per frame on the wire)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
