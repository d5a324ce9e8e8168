"""The portable description of a controller's NVM, whatever its series.

Both formats (the 500-series layouts of :mod:`.nvm500` and the 700/800-series NVM3 file
system of :mod:`.nvm700`) parse to one :class:`NvmDescription`: controller facts and one
:class:`NodeEntry` per node.  Writers take a description back to an image, so conversion
between series is parse, adjust, write (:mod:`.convert`).

Protocol information and routes keep their raw bytes (they have the same encoding in both
series), so a node survives any conversion bit for bit; the decoded fields are properties.
Nothing here holds a network key: the 500 layout's S0 key is never read into a description.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SERIES_500 = "500"
SERIES_700 = "700"
SERIES_800 = "800"
FORMAT_NVM500 = "nvm500"
FORMAT_NVM3 = "nvm3"

MAX_NODES = 232
NODE_MASK_BYTES = 29
ROUTE_SIZE = 5
SUC_UPDATE_ENTRY_SIZE = 22
SUC_MAX_UPDATES = 64
#: A route whose first repeater byte is this goes direct (no repeaters).
ROUTE_DIRECT = 0xFE

# Controller capability flags (GetControllerCapabilities, also stored in both NVMs)
CAP_SECONDARY = 0x01
CAP_ON_OTHER_NETWORK = 0x02
CAP_SIS_PRESENT = 0x04
CAP_REAL_PRIMARY = 0x08
CAP_SUC = 0x10


def parse_mask(mask: bytes, start: int = 1) -> tuple[int, ...]:
    """Ids whose bit is set; bit 0 of byte 0 is ``start``."""
    return tuple(start + i * 8 + bit for i, byte in enumerate(mask) for bit in range(8) if byte & (1 << bit))


def encode_mask(ids: Any, size: int = NODE_MASK_BYTES, start: int = 1) -> bytes:
    """Inverse of :func:`parse_mask`; ids outside the mask are ignored."""
    out = bytearray(size)
    for node_id in ids:
        pos = node_id - start
        if 0 <= pos < size * 8:
            out[pos // 8] |= 1 << (pos % 8)
    return bytes(out)


@dataclass(frozen=True, slots=True)
class ProtocolInfo:
    """The 3 protocol-information bytes of a node (as in GetNodeProtocolInfo and both NVMs)."""

    raw: bytes

    @property
    def listening(self) -> bool:
        return bool(self.raw[0] & 0x80)

    @property
    def routing(self) -> bool:
        return bool(self.raw[0] & 0x40)

    @property
    def speeds(self) -> list[int]:
        speeds = [rate for bit, rate in ((0x10, 40000), (0x08, 9600)) if self.raw[0] & bit]
        if self.raw[2] & 0x01:
            speeds.append(100000)
        return speeds or [9600]

    @property
    def protocol_version(self) -> int:
        return self.raw[0] & 0x07

    @property
    def optional_functionality(self) -> bool:
        return bool(self.raw[1] & 0x80)

    @property
    def frequent_listening(self) -> int | None:
        """250 or 1000 (ms wake-up beam) for a FLiRS node, else None."""
        return {0x40: 1000, 0x20: 250}.get(self.raw[1] & 0x60)

    @property
    def beaming(self) -> bool:
        return bool(self.raw[1] & 0x10)

    @property
    def is_controller(self) -> bool:
        return (self.raw[1] & 0x0A) == 0x02

    @property
    def has_specific_class(self) -> bool:
        return bool(self.raw[1] & 0x04)

    @property
    def security(self) -> bool:
        return bool(self.raw[1] & 0x01)


def route_to_json(raw: bytes | None) -> dict[str, Any] | None:
    """A 5-byte route-cache line ``[rep0..rep3][conf]`` as JSON."""
    if raw is None:
        return None
    conf = raw[4]
    direct = raw[0] == ROUTE_DIRECT
    return {
        "repeaters": [] if direct else [r for r in raw[:4] if r],
        "beaming": {0x40: 1000, 0x20: 250}.get(conf & 0x60),
        "data_rate": conf & 0x07,
    }


@dataclass
class NodeEntry:
    """One node of the controller's node table (series independent)."""

    node_id: int
    protocol_info: bytes = b"\x00\x00\x00"
    generic: int = 0
    specific: int = 0
    neighbors: tuple[int, ...] = ()
    suc_update_index: int = 0xFF
    #: A bridge controller's virtual node; ``has_info`` False: a virtual id without node info.
    virtual: bool = False
    has_info: bool = True
    app_route_lock: bool = False
    route_slave_suc: bool = False
    suc_pending_update: bool = False
    pending_discovery: bool = False
    lwr: bytes | None = None
    nlwr: bytes | None = None

    @property
    def info(self) -> ProtocolInfo:
        return ProtocolInfo(self.protocol_info)

    def to_json(self) -> dict[str, Any]:
        """Inspect output (decoded fields first, then the raw protocol bytes)."""
        info = self.info
        return {
            "node_id": self.node_id,
            "generic": self.generic,
            "specific": self.specific if info.has_specific_class else None,
            "listening": info.listening,
            "frequent_listening": info.frequent_listening,
            "routing": info.routing,
            "beaming": info.beaming,
            "security": info.security,
            "controller": info.is_controller,
            "speeds": info.speeds,
            "protocol_version": info.protocol_version,
            "neighbors": list(self.neighbors),
            "suc_update_index": self.suc_update_index,
            "virtual": self.virtual,
            "routes": {"lwr": route_to_json(self.lwr), "nlwr": route_to_json(self.nlwr)},
            "protocol_info": self.protocol_info.hex(),
        }


@dataclass
class LongRangeNode:
    """A Z-Wave Long Range node (700/800 only): ``capability`` is the packed NVM byte."""

    node_id: int
    capability: int
    generic: int
    specific: int

    def to_json(self) -> dict[str, Any]:
        cap = self.capability
        return {
            "node_id": self.node_id,
            "generic": self.generic,
            "specific": self.specific if cap & 0x04 else None,
            "listening": bool(cap & 0x02),
            "routing": bool(cap & 0x01),
            "long_range": True,
        }


@dataclass
class ControllerEntry:
    """The controller's own facts.  ``node_id`` is the node id the controller has in its
    network (a 500-series primary stores 0 there; ``stored_node_id`` keeps what the image held)."""

    home_id: int = 0
    node_id: int = 1
    stored_node_id: int = 1
    #: 500 only: the home ID the stick created itself, and the one it learned when it joined
    #: another network (``home_id`` is the one in use).
    own_home_id: int | None = None
    learned_home_id: int | None = None
    last_node_id: int = 1
    max_node_id: int = 1
    reserved_id: int = 0
    suc_node_id: int = 0
    suc_last_index: int = 0xFF
    controller_configuration: int = 0
    system_state: int = 0
    suc_update_entries: list[bytes] = field(default_factory=list)
    preferred_repeaters: tuple[int, ...] = ()
    # The controller's own node information (700: application type file; 500: its node-table entry)
    listening: bool = True
    optional_functionality: bool = False
    generic: int = 0x02
    specific: int = 0x01
    ccs: tuple[int, ...] = ()
    ccs_secure_insecure: tuple[int, ...] = ()
    ccs_secure_secure: tuple[int, ...] = ()
    application_data: bytes | None = None
    application_name: str | None = None
    # 700/800 only
    suc_awareness_push: int | None = None
    long_range: dict[str, int] | None = None
    rf_config: bytes | None = None
    # 500 only: the application module's radio settings (power levels, power mode)
    rf_500: dict[str, Any] | None = None

    @property
    def on_other_network(self) -> bool:
        return bool(self.controller_configuration & CAP_ON_OTHER_NETWORK)


@dataclass
class NvmDescription:
    """A parsed NVM image: what the controller knows about its network."""

    series: str
    format: str
    protocol_version: str
    application_version: str
    controller: ControllerEntry
    nodes: dict[int, NodeEntry] = field(default_factory=dict)
    lr_nodes: dict[int, LongRangeNode] = field(default_factory=dict)
    #: NVM3 protocol / application file format (None for 500-series images)
    protocol_file_format: int | None = None
    application_file_format: int | None = None
    #: 500: the layout's name ("Static 6.8x") and library ("static" / "bridge")
    layout: str | None = None
    library: str | None = None
    #: 500: NVM descriptor ids; NVM3: page size, write size, memory mapped, device family, shared FS
    meta: dict[str, Any] = field(default_factory=dict)
    #: Size in bytes of the image this was parsed from
    size: int = 0

    @property
    def home_id(self) -> int:
        return self.controller.home_id

    @property
    def own_node_id(self) -> int:
        return self.controller.node_id

    @property
    def node_ids(self) -> list[int]:
        """Ids of the real (non-virtual) nodes, the controller included."""
        return sorted(n for n, node in self.nodes.items() if node.has_info and not node.virtual)

    def summary(self) -> dict[str, Any]:
        """The inspect JSON (``scripts/zwave nvm inspect``); never contains a network key."""
        ctrl = self.controller
        out: dict[str, Any] = {
            "format": self.format,
            "series": self.series,
            "size": self.size,
            "home_id": f"{ctrl.home_id:08x}",
            "own_node_id": ctrl.node_id,
            "suc_node_id": ctrl.suc_node_id,
            "last_node_id": ctrl.last_node_id,
            "controller_configuration": ctrl.controller_configuration,
            "protocol_version": self.protocol_version,
            "application_version": self.application_version,
        }
        if self.protocol_file_format is not None:
            out["protocol_file_format"] = self.protocol_file_format
        if self.layout is not None:
            out["layout"] = self.layout
        out["nodes"] = [self.nodes[n].to_json() for n in sorted(self.nodes) if self.nodes[n].has_info]
        virtual = sorted(n for n, node in self.nodes.items() if node.virtual)
        if virtual:
            out["virtual_nodes"] = virtual
        if self.lr_nodes:
            out["long_range_nodes"] = [self.lr_nodes[n].to_json() for n in sorted(self.lr_nodes)]
        return out
