"""500-series NVM layouts, one table per SDK family (protocol-facts §3.4), as data.

An image is a chain of modules (Z-Wave library, application, host application, NVM
descriptor); each starts with its u16 size and ends with a 5-byte module descriptor
``[size u16][type][version major][minor]``.  Offset 0 holds ``nvmTotalEnd`` (last valid byte)
and the image ends with a u16 0 marker.  Only the library module's offsets are fixed; later
modules are found from the size fields when parsing.  All integers are big-endian.

The families differ in a few entries: bridge libraries insert a virtual-node pool mask,
6.7x+ stores the S0 key, 6.8x the system state, and the application module grew power
settings.  Entry names follow Silicon Labs' ``nvm_converter`` (``EX_NVM_HOME_ID_far``...).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Kind(Enum):
    """Entry types; ``size`` in bytes (BUFFER and sized masks give their own)."""

    MODULE_SIZE = ("module size", 2)
    BYTE = ("byte", 1)
    WORD = ("word", 2)
    DWORD = ("dword", 4)
    BUFFER = ("buffer", 1)
    NODE_INFO = ("node info", 5)  # 3 bytes protocol info + generic + specific
    NODE_MASK = ("node mask", 29)
    SUC_ENTRY = ("SUC update entry", 22)  # [node][change type][20 bytes CC list]
    ROUTE = ("route", 5)  # [4 repeaters][conf]
    MODULE_DESCRIPTOR = ("module descriptor", 5)
    NVM_DESCRIPTOR = ("NVM descriptor", 12)  # [mfr u16][fw id u16][type u16][product u16][fw maj][min][proto maj][min]

    @property
    def size(self) -> int:
        return self.value[1]


@dataclass(frozen=True, slots=True)
class Entry:
    name: str
    kind: Kind
    count: int = 1
    size: int | None = None  # per item, when not the kind's size
    offset: int | None = None  # fixed offset, checked when parsing

    @property
    def item_size(self) -> int:
        return self.size if self.size is not None else self.kind.size


@dataclass(frozen=True, slots=True)
class Layout:
    name: str
    library: str  # "static" or "bridge"
    protocol_versions: tuple[str, ...]
    entries: tuple[Entry, ...]


# Module types of the module descriptors
MODULE_TYPES = {
    "nvmZWlibraryDescriptor": 0x02,
    "nvmApplicationDescriptor": 0x04,
    "nvmHostApplicationDescriptor": 0x05,
    "nvmDescriptorDescriptor": 0xFF,
}

CONFIGURATION_VALID_0 = 0x54
CONFIGURATION_VALID_1 = 0xA5
ROUTECACHE_VALID = 0x4A
MAGIC_VALUE = 0x42
HOST_DATA_SIZE = 2048
APPL_NODEPARM_MAX = 35
SUC_CONTROLLER_LIST_SIZE = 232


def _library(*, bridge: bool, s0_key: bool, system_state: bool, check_route_cache: bool) -> list[Entry]:
    e = Entry
    out = [
        e("nvmTotalEnd", Kind.WORD),
        e("nvmZWlibrarySize", Kind.MODULE_SIZE),
        e("NVM_INTERNAL_RESERVED_1_far", Kind.BYTE, 4),
        e("EX_NVM_HOME_ID_far", Kind.DWORD),
        e("NVM_INTERNAL_RESERVED_2_far", Kind.BYTE, 4),
        e("NVM_HOMEID_far", Kind.DWORD),
        e("NVM_NODEID_far", Kind.BYTE),
        e("NVM_CONFIGURATION_VALID_far", Kind.BYTE),
        e("NVM_CONFIGURATION_REALLYVALID_far", Kind.BYTE),
        e("NVM_INTERNAL_RESERVED_3_far", Kind.BYTE),
        e("NVM_PREFERRED_REPEATERS_far", Kind.NODE_MASK, size=32),
        e("NVM_PENDING_DISCOVERY_far", Kind.NODE_MASK, size=32),
        e("NVM_RTC_TIMERS_far", Kind.BYTE, 10 * 16),
        e("EX_NVM_NODE_TABLE_START_far", Kind.NODE_INFO, 232),
        e("EX_NVM_ROUTING_TABLE_START_far", Kind.NODE_MASK, 232),
        e("EX_NVM_LAST_USED_NODE_ID_START_far", Kind.BYTE),
        e("EX_NVM_STATIC_CONTROLLER_NODE_ID_START_far", Kind.BYTE),
        e("EX_NVM_PENDING_UPDATE_far", Kind.NODE_MASK),
        e("EX_NVM_SUC_ACTIVE_START_far", Kind.BYTE),
        e("EX_NVM_SUC_NODE_LIST_START_far", Kind.SUC_ENTRY, 64),
        e("EX_NVM_SUC_CONTROLLER_LIST_START_far", Kind.BYTE, SUC_CONTROLLER_LIST_SIZE),
        e("EX_NVM_SUC_LAST_INDEX_START_far", Kind.BYTE),
        e("EX_NVM_SUC_ROUTING_SLAVE_LIST_START_far", Kind.NODE_MASK),
        e("EX_NVM_ZENSOR_TABLE_START_far", Kind.NODE_MASK),
    ]
    if bridge:
        out.append(e("EX_NVM_BRIDGE_NODEPOOL_START_far", Kind.NODE_MASK))
    out += [
        e("EX_NVM_CONTROLLER_CONFIGURATION_far", Kind.BYTE),
        e("EX_NVM_MAX_NODE_ID_far", Kind.BYTE),
        e("EX_NVM_RESERVED_ID_far", Kind.BYTE),
        e("EX_NVM_ROUTECACHE_START_far", Kind.ROUTE, 232, offset=0x268E if check_route_cache else None),
        e("EX_NVM_ROUTECACHE_NLWR_SR_START_far", Kind.ROUTE, 232),
        e("EX_NVM_ROUTECACHE_MAGIC_far", Kind.BYTE),
        e("EX_NVM_ROUTECACHE_APP_LOCK_far", Kind.NODE_MASK),
    ]
    if s0_key:
        out.append(e("NVM_SECURITY0_KEY_far", Kind.BUFFER, size=16))
    if system_state:
        out.append(e("NVM_SYSTEM_STATE", Kind.BYTE))
    out.append(e("nvmZWlibraryDescriptor", Kind.MODULE_DESCRIPTOR))
    return out


def _application(app_offset: int, *, power_levels: bool, power_mode: bool) -> list[Entry]:
    e = Entry
    out = [
        e("nvmApplicationSize", Kind.MODULE_SIZE, offset=app_offset),
        e("EEOFFSET_MAGIC_far", Kind.BYTE),
        e("EEOFFSET_CMDCLASS_LEN_far", Kind.BYTE),
        e("EEOFFSET_CMDCLASS_far", Kind.BYTE, APPL_NODEPARM_MAX),
        e("EEOFFSET_WATCHDOG_STARTED_far", Kind.BYTE),
    ]
    if power_levels:
        out += [
            e("EEOFFSET_POWERLEVEL_NORMAL_far", Kind.BYTE, 3),
            e("EEOFFSET_POWERLEVEL_LOW_far", Kind.BYTE, 3),
        ]
    if power_mode:
        out += [
            e("EEOFFSET_MODULE_POWER_MODE_EXTINT_ENABLE_far", Kind.BYTE),
            e("EEOFFSET_MODULE_POWER_MODE_far", Kind.BYTE),
            e("EEOFFSET_MODULE_POWER_MODE_WUT_TIMEOUT_far", Kind.DWORD),
        ]
    out += [
        e("nvmApplicationDescriptor", Kind.MODULE_DESCRIPTOR),
        e("nvmHostApplicationSize", Kind.MODULE_SIZE),
        e("EEOFFSET_HOST_OFFSET_START_far", Kind.BUFFER, size=HOST_DATA_SIZE),
        e("nvmHostApplicationDescriptor", Kind.MODULE_DESCRIPTOR),
        e("nvmDescriptorSize", Kind.MODULE_SIZE),
        e("nvmDescriptor", Kind.NVM_DESCRIPTOR),
        e("nvmDescriptorDescriptor", Kind.MODULE_DESCRIPTOR),
        e("nvmModuleSizeEndMarker", Kind.WORD),
    ]
    return out


_V66 = ("4.33", "4.62")
# 6.01 is a 6.8x SDK that still uses the 6.7x layout (zwave-js issue 7385)
_V67 = ("4.60", "4.61", "5.02", "5.03", "6.01")
_V68 = ("6.02", "6.03", "6.04", "6.05", "6.06", "6.07", "6.08", "6.09", "6.10")


def _layout(name: str, library: str, versions: tuple[str, ...], app_offset: int, family: str) -> Layout:
    bridge = library == "bridge"
    entries = _library(
        bridge=bridge, s0_key=family != "6.6x", system_state=family == "6.8x", check_route_cache=family == "6.8x" and not bridge
    ) + _application(app_offset, power_levels=family != "6.6x", power_mode=family == "6.8x")
    return Layout(name, library, versions, tuple(entries))


#: The known layouts, tried in this order when parsing.
LAYOUTS: tuple[Layout, ...] = (
    _layout("Static 6.8x", "static", _V68, 0x2FD2, "6.8x"),
    _layout("Static 6.7x", "static", _V67, 0x2FD1, "6.7x"),
    _layout("Static 6.6x", "static", _V66, 0x2FC1, "6.6x"),
    _layout("Bridge 6.8x", "bridge", _V68, 0x2FEF, "6.8x"),
    _layout("Bridge 6.7x", "bridge", _V67, 0x2FEE, "6.7x"),
    _layout("Bridge 6.6x", "bridge", _V66, 0x2FDE, "6.6x"),
)


def layout_for(protocol_version: str, library: str) -> Layout | None:
    """The layout a controller with this protocol version ("6.07") and library uses."""
    for layout in LAYOUTS:
        if layout.library == library and protocol_version in layout.protocol_versions:
            return layout
    return None


def static_offsets(layout: Layout) -> tuple[dict[str, int], int]:
    """Offsets of every entry when the image is written from scratch, and the image size."""
    offsets: dict[str, int] = {}
    offset = 0
    for entry in layout.entries:
        offsets[entry.name] = offset
        offset += entry.item_size * entry.count
    return offsets, offset
