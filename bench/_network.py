"""A large virtual network (up to 232 nodes) for the start-up and memory benchmarks.

``build_large_network(stick, nodes=232)`` fills node ids 2..nodes with a mix of the demo's
device types: binary switches, dimmers, multilevel sensors, metering plugs, two-channel
switches, FLiRS door locks (every 25th node) and sleeping motion sensors (every 10th node).

Run as a script it serves such a network on a pty (so that the driver can be measured in a
process of its own) and prints the port path on stdout; a line ``wake`` on stdin wakes every
sleeping device; it stops on SIGTERM or end of stdin:

    python bench/_network.py --nodes 232 --radio realistic [--pace]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from custom_components.zwave_serial.zwave.sim.lock import DoorLock
from custom_components.zwave_serial.zwave.sim.radio import RadioConfig
from custom_components.zwave_serial.zwave.sim.sensors import MotionSensor, MultilevelSensor
from custom_components.zwave_serial.zwave.sim.stick import VirtualStick
from custom_components.zwave_serial.zwave.sim.switches import (
    BinarySwitch,
    Dimmer,
    MeteringPlug,
    MultiChannelSwitch,
)

MAINS_TYPES = (BinarySwitch, Dimmer, MultilevelSensor, MeteringPlug, MultiChannelSwitch)


def device_kind(node_id: int) -> str:
    """Which device type node ``node_id`` is in the large network."""
    if node_id % 25 == 0:
        return "DoorLock"
    if node_id % 10 == 0:
        return "MotionSensor"
    return MAINS_TYPES[node_id % len(MAINS_TYPES)].__name__


def build_large_network(stick: VirtualStick, nodes: int = 232, awake_timeout: float = 10.0) -> list[int]:
    """Add devices with ids 2..``nodes``; return the ids of the sleeping (battery) ones."""
    sleeping: list[int] = []
    for node_id in range(2, nodes + 1):
        kind = device_kind(node_id)
        if kind == "DoorLock":
            stick.add_node(DoorLock(node_id, bolt_time=0.1))
        elif kind == "MotionSensor":
            stick.add_node(MotionSensor(node_id, wake_up_interval=0, awake_timeout=awake_timeout))
            sleeping.append(node_id)
        elif kind == "MultiChannelSwitch":
            stick.add_node(MultiChannelSwitch(node_id, channels=2))
        else:
            cls: Any = {c.__name__: c for c in MAINS_TYPES}[kind]
            stick.add_node(cls(node_id))
    return sleeping


def radio_config(name: str) -> RadioConfig:
    """``"fast"`` (3 ms per hop) or ``"realistic"`` (20-40 ms per hop, 1 s FLiRS beam)."""
    return RadioConfig.realistic() if name == "realistic" else RadioConfig.fast()


async def _serve(args: argparse.Namespace) -> None:
    stick = VirtualStick(radio=radio_config(args.radio), pace=args.pace)
    build_large_network(stick, args.nodes)
    port = await stick.start_pty()
    print(port, flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    sleeping = [n for n, node in stick.nodes.items() if node.sleeping]

    def on_stdin() -> None:
        line = sys.stdin.buffer.readline()
        if not line:
            stop.set()
        elif line.strip() == b"wake":  # wake every sleeping device (they send Wake Up Notification)
            for node_id in sleeping:
                stick.node(node_id).wake_up()

    loop.add_reader(sys.stdin.fileno(), on_stdin)
    try:
        await stop.wait()
    finally:
        loop.remove_reader(sys.stdin.fileno())
        await stick.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve a large virtual Z-Wave network on a pty")
    parser.add_argument("--nodes", type=int, default=232, help="highest node id (default 232)")
    parser.add_argument("--radio", choices=("fast", "realistic"), default="fast")
    parser.add_argument("--pace", action="store_true", help="pace the stick's output at 115200 baud")
    args = parser.parse_args(argv)
    asyncio.run(_serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
