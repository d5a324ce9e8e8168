"""Demo network and entry points (`start_demo`, `run_simulator`, `main`).

Node 1 is the stick; nodes 2-9 are the demo devices:
2 binary switch, 3 dimmer, 4 multilevel sensor, 5 sleeping PIR motion sensor,
6 metering plug, 7 FLiRS door lock included with S2 Access Control, 8 two-channel switch,
9 older FLiRS door lock included with S0.

Devices waiting to be added (all ``auto_join``: each classic inclusion adds the next one, and an
exclusion removes the latest of them): an S2 Access Control lock (the host asks for its PIN), an
S2 Unauthenticated + Authenticated multisensor, a plain switch, and a SmartStart plug (its QR
code). :func:`waiting_device_labels` gives their DSK / PIN / QR code; ``scripts/zwave simulate``
prints them at start.

The secure devices use :data:`DEMO_NETWORK_KEYS` (or the keys given with ``--keys FILE``).
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

from ..errors import ZWaveError
from ..security.keys import NetworkKeys, SecurityClass
from .faults import FaultConfig
from .link import LinkConfig
from .lock import DoorLock
from .node import NodeInfo, VirtualNode
from .radio import RadioConfig
from .security import demo_private_key
from .sensors import MotionSensor, MultilevelSensor
from .stick import DEFAULT_HOME_ID, VirtualStick
from .switches import BinarySwitch, Dimmer, MeteringPlug, MultiChannelSwitch

_LOGGER = logging.getLogger(__name__)

#: The demo network's keys. DEMO ONLY: they are published here, so a network using them has no
#: security at all. The demo's secure devices (nodes 7 and 9) were included with them; Home
#: Assistant's demo entry and the test fixtures give them to the driver.
DEMO_NETWORK_KEYS = NetworkKeys(
    s0_legacy="00112233445566778899aabbccddeeff",
    s2_unauthenticated="0f1e2d3c4b5a69788796a5b4c3d2e1f0",
    s2_authenticated="1032547698badcfe1032547698badcfe",
    s2_access_control="a1b2c3d4e5f60718293a4b5c6d7e8f90",
)

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
    "bootstrap_scale",
    "series",
    "nvm",
}


def build_demo_network(stick: VirtualStick, keys: NetworkKeys | None = None, **options: Any) -> VirtualStick:
    """Add the demo devices (nodes 2-9, and the devices waiting to be added) to ``stick``.

    ``keys``: the network keys nodes 7 (S2 Access Control) and 9 (S0) were included with
    (default :data:`DEMO_NETWORK_KEYS`). Device options: ``wake_up_interval``,
    ``awake_timeout``, ``motion_clear_after``, ``bolt_time``, ``time_scale``,
    ``supervision_timeout``, ``supervision_retries``; ``waiting=False`` leaves out the waiting
    devices.
    """
    keys = keys or DEMO_NETWORK_KEYS
    common = {k: options[k] for k in ("supervision_timeout", "supervision_retries") if k in options}
    bolt_time = options.get("bolt_time", 0.2)
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
    stick.add_node(
        DoorLock(
            7,
            bolt_time=bolt_time,
            security=(SecurityClass.S2_AccessControl,),
            keys=keys,
            private_key=demo_private_key("front door lock"),
            **common,
        )
    )
    stick.add_node(MultiChannelSwitch(8, channels=2, **common))
    stick.add_node(
        DoorLock(
            9, _lock_info(0x0044, "Old S0 lock"), bolt_time=bolt_time, security=(S0,), keys=keys,
            user_code_version=1, time_parameters=False, clock=True, **common,
        )
    )
    if options.get("config_device", True):  # node 10: a plug with Configuration v4
        from .config_device import ConfigurablePlug

        stick.add_node(ConfigurablePlug(10, **common))
    if options.get("scene_devices", True):  # nodes 20-24: scene controller, shade, fan, RGBW bulb, siren
        from .demo_scenes import add_scene_devices

        add_scene_devices(stick, time_scale=options.get("time_scale", 1.0), **common)
    if options.get("waiting", True):
        add_waiting_devices(stick, **common)
    return stick


S0 = SecurityClass.S0_Legacy
S2_UNAUTH, S2_AUTH, S2_ACCESS = (
    SecurityClass.S2_Unauthenticated,
    SecurityClass.S2_Authenticated,
    SecurityClass.S2_AccessControl,
)


def _lock_info(product_id: int, name: str) -> NodeInfo:
    return NodeInfo(
        0x40, 0x03, listening=False, flirs=1000, role_type=7, product_type=0x0003, product_id=product_id,
        name=name, icon=0x0300,
    )


def add_waiting_devices(stick: VirtualStick, **options: Any) -> list[VirtualNode]:
    """The demo's devices waiting to be added (all ``auto_join``), in the order they join."""
    devices: list[VirtualNode] = [
        DoorLock(
            0, _lock_info(0x0063, "Garage door lock"), security=(S2_ACCESS,),
            private_key=demo_private_key("garage door lock"), **options,
        ),
        MultilevelSensor(
            0, NodeInfo(0x21, 0x01, product_id=0x0035, name="Secure multisensor", icon=0x0C01),
            security=(S2_UNAUTH, S2_AUTH), private_key=demo_private_key("secure multisensor"), **options,
        ),
        BinarySwitch(0, NodeInfo(0x10, 0x01, product_id=0x0011, name="New switch", icon=0x0700), **options),
        MeteringPlug(
            0, NodeInfo(0x10, 0x01, product_id=0x0036, name="SmartStart plug", icon=0x0700),
            security=(S2_UNAUTH, S2_AUTH), smart_start=True, private_key=demo_private_key("smartstart plug"),
            **options,
        ),
    ]
    for device in devices:
        stick.add_waiting(device, auto_join=True)
    return devices


def waiting_device_labels(stick: VirtualStick) -> list[str]:
    """One line per waiting device: its name, and its DSK / PIN / QR code when it has them."""
    lines = []
    for node in stick.waiting_nodes:
        parts = [node.info.name or type(node).__name__]
        if node.sec is not None:
            classes = ", ".join(c.name for c in node.sec.classes)
            parts.append(f"security {classes}; DSK {node.dsk}; PIN {node.pin}")
        if node.qr_code is not None and node.smart_start:
            parts.append(f"SmartStart QR {node.qr_code}")
        lines.append(" - ".join(parts))
    return lines


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
    symlink_dir = options.pop("symlink_dir", None)
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
    parser.add_argument(
        "--keys",
        metavar="FILE",
        help='network keys the secure demo devices were included with (JSON: {"s0_legacy": hex, '
        '"s2_unauthenticated": hex, ...}; default: the published demo keys)',
    )
    parser.add_argument("-v", "--verbose", action="store_true")
    return parser


async def run_simulator(argv: list[str] | None = None) -> int:
    """CLI body: start the demo, print where to connect, run until Ctrl-C / SIGTERM."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO)
    faults: FaultConfig | None = args.faults
    keys = None
    if args.keys:
        try:
            keys = NetworkKeys.from_json_file(args.keys)
        except ZWaveError as err:  # the message never contains a key
            print(f"error: cannot read the network keys from {args.keys}: {err}", file=sys.stderr)
            return 1
    options: dict[str, Any] = {
        "radio": RadioConfig.realistic() if args.realistic else RadioConfig.fast(),
        "timing": args.timing,
        "strict": args.strict,
        "pace": args.pace,
        "link": LinkConfig(ack_timeout=args.ack_timeout),
        "wake_up_interval": args.wake_up_interval,
        "keys": keys,
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
    labels = waiting_device_labels(demo.stick)
    if labels:
        print("Devices waiting to be added (they join by themselves in add mode):", flush=True)
        for line in labels:
            print(f"  {line}", flush=True)
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
