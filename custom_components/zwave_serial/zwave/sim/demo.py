"""Demo network and entry points (`start_demo`, `run_simulator`, `main`).

Node 1 is the stick; nodes 2-8 are the demo devices:
2 binary switch, 3 dimmer, 4 multilevel sensor, 5 sleeping PIR motion sensor,
6 metering plug, 7 FLiRS door lock, 8 two-channel switch.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from dataclasses import dataclass
from typing import Any

from .faults import FaultConfig
from .link import LinkConfig
from .lock import DoorLock
from .radio import RadioConfig
from .sensors import MotionSensor, MultilevelSensor
from .stick import DEFAULT_HOME_ID, VirtualStick
from .switches import BinarySwitch, Dimmer, MeteringPlug, MultiChannelSwitch

_LOGGER = logging.getLogger(__name__)

_STICK_OPTIONS = {
    "radio",
    "timing",
    "link",
    "pace",
    "strict",
    "tx_queue_size",
    "reboot_time",
    "reset_delay",
    "neighbor_update_time",
    "started_on_replug",
    "seed",
}


def build_demo_network(stick: VirtualStick, **options: Any) -> VirtualStick:
    """Add the demo devices (nodes 2-8) to ``stick``.

    Device options: ``wake_up_interval``, ``awake_timeout``, ``motion_clear_after``,
    ``bolt_time``, ``time_scale``, ``supervision_timeout``, ``supervision_retries``.
    """
    common = {k: options[k] for k in ("supervision_timeout", "supervision_retries") if k in options}
    stick.add_node(BinarySwitch(2, **common))
    stick.add_node(Dimmer(3, time_scale=options.get("time_scale", 1.0), **common))
    stick.add_node(MultilevelSensor(4, **common))
    stick.add_node(
        MotionSensor(
            5,
            wake_up_interval=options.get("wake_up_interval", 3600),
            awake_timeout=options.get("awake_timeout", 10.0),
            motion_clear_after=options.get("motion_clear_after"),
            **common,
        )
    )
    stick.add_node(MeteringPlug(6, **common))
    stick.add_node(DoorLock(7, bolt_time=options.get("bolt_time", 0.2), **common))
    stick.add_node(MultiChannelSwitch(8, channels=2, **common))
    return stick


@dataclass
class DemoStick:
    """A running demo stick: open :attr:`port` with the driver."""

    stick: VirtualStick
    port: str

    async def stop(self) -> None:
        """Stop the simulator."""
        await self.stick.stop()


async def start_demo(
    mode: str = "pty",
    host: str = "127.0.0.1",
    port: int = 0,
    faults: FaultConfig | None = None,
    home_id: int = DEFAULT_HOME_ID,
    **options: Any,
) -> DemoStick:
    """Start a virtual stick with the demo network on a pty (``mode="pty"``) or TCP.

    Stick options (``radio``, ``timing``, ``strict``, ``link``, ``pace``, ``reboot_time``, ...) go
    to :class:`VirtualStick`, the rest to :func:`build_demo_network`; ``symlink_dir`` chooses
    where the pty symlink lives.  The timing profile defaults to the radio's (fast).
    """
    stick_opts = {k: v for k, v in options.items() if k in _STICK_OPTIONS}
    symlink_dir = options.get("symlink_dir")
    stick = VirtualStick(home_id=home_id, faults=faults, **stick_opts)
    build_demo_network(stick, **{k: v for k, v in options.items() if k not in _STICK_OPTIONS})
    if mode == "pty":
        url = await stick.start_pty(symlink_dir)
    elif mode == "tcp":
        await stick.start_tcp(host, port)
        url = stick.port
    else:
        raise ValueError(f"unknown mode {mode!r} (pty or tcp)")
    return DemoStick(stick, url)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zwave simulate", description="Run the virtual Z-Wave stick")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--tcp", metavar="HOST:PORT", help="listen on TCP (e.g. 127.0.0.1:5555)")
    where.add_argument("--pty", action="store_true", help="serve on a pty (default)")
    parser.add_argument("--symlink-dir", help="directory for the stable pty symlink")
    parser.add_argument(
        "--faults", type=FaultConfig.parse, default=None, help="e.g. corrupt=0.05,can=0.02,seed=1"
    )
    parser.add_argument("--home-id", default=f"{DEFAULT_HOME_ID:08X}", help="home ID in hex")
    parser.add_argument("--realistic", action="store_true", help="realistic radio latencies")
    parser.add_argument(
        "--timing",
        choices=("fast", "realistic"),
        default="realistic",
        help="stick timings: reboot after a soft reset, neighbour updates (default: realistic)",
    )
    parser.add_argument(
        "--strict", action="store_true", help="refuse overlapping radio jobs like Z-Wave JS's mock controller"
    )
    parser.add_argument("--pace", action="store_true", help="pace output at 115200 baud")
    parser.add_argument("--wake-up-interval", type=int, default=3600)
    parser.add_argument("--ack-timeout", type=float, default=1.5)
    parser.add_argument("-v", "--verbose", action="store_true")
    return parser


async def run_simulator(argv: list[str] | None = None) -> int:
    """CLI body: start the demo, print where to connect, run until Ctrl-C / SIGTERM."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO)
    faults: FaultConfig | None = args.faults
    options: dict[str, Any] = {
        "radio": RadioConfig.realistic() if args.realistic else RadioConfig.fast(),
        "timing": args.timing,
        "strict": args.strict,
        "pace": args.pace,
        "link": LinkConfig(ack_timeout=args.ack_timeout),
        "wake_up_interval": args.wake_up_interval,
    }
    if args.tcp:
        host, _, port = args.tcp.rpartition(":")
        demo = await start_demo(
            "tcp", host or "127.0.0.1", int(port), faults, int(args.home_id, 16), **options
        )
    else:
        demo = await start_demo(
            "pty", faults=faults, home_id=int(args.home_id, 16), symlink_dir=args.symlink_dir, **options
        )
    print(demo.port, flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await demo.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Synchronous entry point."""
    try:
        return asyncio.run(run_simulator(argv if argv is not None else sys.argv[1:]))
    except KeyboardInterrupt:
        return 0
