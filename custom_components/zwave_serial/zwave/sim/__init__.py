"""Virtual Z-Wave controller stick (Serial API over a pty or TCP) with virtual devices.

An independent implementation of the Serial API built from the protocol fact sheet and the
700/800 firmware's behaviour, used by tests, benchmarks and the demo.  See
:class:`VirtualStick` (``strict=True`` refuses overlapping radio jobs like Z-Wave JS's mock and
counts them in ``overlap_refusals``), :class:`TimingProfile` and :func:`start_demo`.
Devices can be included and excluded (:meth:`VirtualStick.add_waiting`,
:meth:`VirtualStick.press_button`, :mod:`.inclusion`) and can be secure (S0/S2, :mod:`.security`,
:mod:`.bootstrap`); :data:`DEMO_NETWORK_KEYS` are the demo network's (published) keys.
"""

from __future__ import annotations

from .demo import DEMO_NETWORK_KEYS, DemoStick, build_demo_network, main, run_simulator, start_demo
from .faults import FaultConfig, FaultCounters
from .inclusion import DepartedNode
from .jobs import RefusedJob
from .link import LinkConfig, LinkCounters
from .lock import DoorLock
from .node import Endpoint, NodeInfo, RxContext, VirtualNode
from .radio import RadioConfig
from .sensors import MotionSensor, MultilevelSensor
from .stick import DEFAULT_HOME_ID, VirtualStick
from .switches import BinarySwitch, Dimmer, MeteringPlug, MultiChannelSwitch
from .timing import TimingProfile

__all__ = [
    "DEFAULT_HOME_ID",
    "DEMO_NETWORK_KEYS",
    "DepartedNode",
    "BinarySwitch",
    "DemoStick",
    "Dimmer",
    "DoorLock",
    "Endpoint",
    "FaultConfig",
    "FaultCounters",
    "LinkConfig",
    "LinkCounters",
    "MeteringPlug",
    "MotionSensor",
    "MultiChannelSwitch",
    "MultilevelSensor",
    "NodeInfo",
    "RadioConfig",
    "RefusedJob",
    "RxContext",
    "TimingProfile",
    "VirtualNode",
    "VirtualStick",
    "build_demo_network",
    "main",
    "run_simulator",
    "start_demo",
]
