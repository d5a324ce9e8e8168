"""500-series NVM images: find the layout, parse to a description, write one back.

Parsing follows the module chain (each module's size field says where the next starts) and
accepts a layout only if the validity markers hold (configuration 0x54/0xA5, application
magic 0x42, route cache magic 0x4A, end marker 0, protocol version of the family).  Writing
starts from an erased image (0xFF) of the target layout and sets every field from the
description, the way Z-Wave JS's nvmedit does, so both produce the same bytes.
"""

from __future__ import annotations

from typing import Any

from .errors import NvmFormatError, NvmNotSupported
from .image import (
    CAP_ON_OTHER_NETWORK,
    CAP_SUC,
    FORMAT_NVM500,
    MAX_NODES,
    ROUTE_SIZE,
    SERIES_500,
    SUC_MAX_UPDATES,
    SUC_UPDATE_ENTRY_SIZE,
    ControllerEntry,
    NodeEntry,
    NvmDescription,
    encode_mask,
    parse_mask,
)
from .nvm500_layouts import (
    APPL_NODEPARM_MAX,
    CONFIGURATION_VALID_0,
    CONFIGURATION_VALID_1,
    HOST_DATA_SIZE,
    LAYOUTS,
    MAGIC_VALUE,
    MODULE_TYPES,
    ROUTECACHE_VALID,
    Kind,
    Layout,
    layout_for,
    static_offsets,
)

__all__ = ["detect_layout", "parse_nvm500", "write_nvm500"]

Resolved = dict[str, tuple[int, int, int]]  # name -> (offset, item size, count)


def _u16(data: bytes, offset: int) -> int:
    if offset + 2 > len(data):
        raise NvmFormatError(f"500-series image truncated at 0x{offset:04x}")
    return int.from_bytes(data[offset : offset + 2], "big")


def _resolve(data: bytes, layout: Layout) -> Resolved:
    """Offsets of the layout's entries in ``data`` (module sizes read from the image)."""
    resolved: Resolved = {}
    nvm_end = _u16(data, 0)
    offset = 0
    module_start = module_size = -1
    for entry in layout.entries:
        size = entry.item_size
        if entry.kind is Kind.MODULE_SIZE:
            if module_start != -1:
                offset = module_start + module_size
            module_start = offset
            module_size = _u16(data, offset)
        elif entry.kind is Kind.MODULE_DESCRIPTOR:
            offset = module_start + module_size - size
            if offset < 0 or _u16(data, offset) != module_size:
                raise NvmFormatError(f"{layout.name}: module descriptor of {entry.name} does not match its size")
        if entry.offset is not None and entry.offset != offset:
            raise NvmFormatError(f"{layout.name}: {entry.name} is not at 0x{entry.offset:04x}")
        if offset + size * entry.count > len(data):
            raise NvmFormatError(f"{layout.name}: {entry.name} lies beyond the image")
        resolved[entry.name] = (offset, size, entry.count)
        offset += size * entry.count
        if offset >= nvm_end:
            break
    if "nvmDescriptor" not in resolved:
        raise NvmFormatError(f"{layout.name}: no NVM descriptor")
    return resolved


def _protocol_version(descriptor: bytes) -> str:
    return f"{descriptor[10]}.{descriptor[11]:02d}"


def _valid(data: bytes, res: Resolved, layout: Layout) -> bool:
    def byte(name: str) -> int | None:
        return data[res[name][0]] if name in res else None

    descriptor_offset = res["nvmDescriptor"][0]
    end = res.get("nvmModuleSizeEndMarker")
    return (
        byte("EEOFFSET_MAGIC_far") == MAGIC_VALUE
        and byte("NVM_CONFIGURATION_VALID_far") == CONFIGURATION_VALID_0
        and byte("NVM_CONFIGURATION_REALLYVALID_far") == CONFIGURATION_VALID_1
        and byte("EX_NVM_ROUTECACHE_MAGIC_far") == ROUTECACHE_VALID
        and end is not None
        and _u16(data, end[0]) == 0
        and _protocol_version(data[descriptor_offset : descriptor_offset + 12]) in layout.protocol_versions
    )


def detect_layout(data: bytes) -> tuple[Layout, Resolved] | None:
    """The layout ``data`` is written in, or None if no known 500-series layout fits."""
    if len(data) < 0x3000:
        return None
    for layout in LAYOUTS:
        try:
            res = _resolve(data, layout)
        except NvmFormatError:
            continue
        if _valid(data, res, layout):
            return layout, res
    return None


class _Reader:
    def __init__(self, data: bytes, res: Resolved) -> None:
        self.data = data
        self.res = res

    def has(self, name: str) -> bool:
        return name in self.res

    def raw(self, name: str, index: int = 0) -> bytes:
        offset, size, _count = self.res[name]
        start = offset + index * size
        return self.data[start : start + size]

    def all(self, name: str) -> bytes:
        offset, size, count = self.res[name]
        return self.data[offset : offset + size * count]

    def byte(self, name: str, index: int = 0) -> int:
        return self.raw(name, index)[0]

    def opt_byte(self, name: str) -> int | None:
        return self.byte(name) if self.has(name) else None

    def number(self, name: str) -> int:
        return int.from_bytes(self.raw(name), "big")


def parse_nvm500(data: bytes) -> NvmDescription:
    """Parse a 500-series image.  Raises NvmFormatError when no known layout is valid."""
    found = detect_layout(bytes(data))
    if found is None:
        raise NvmFormatError("not a 500-series NVM image of a known layout (Z-Wave SDK 6.61 or newer)")
    layout, res = found
    r = _Reader(bytes(data), res)
    descriptor = r.raw("nvmDescriptor")
    masks = {
        name: set(parse_mask(r.raw(name))) if r.has(name) else set()
        for name in (
            "EX_NVM_ROUTECACHE_APP_LOCK_far",
            "EX_NVM_SUC_ROUTING_SLAVE_LIST_START_far",
            "EX_NVM_PENDING_UPDATE_far",
            "NVM_PENDING_DISCOVERY_far",
            "EX_NVM_BRIDGE_NODEPOOL_START_far",
        )
    }
    virtual = masks["EX_NVM_BRIDGE_NODEPOOL_START_far"]
    nodes: dict[int, NodeEntry] = {}
    for node_id in range(1, MAX_NODES + 1):
        info = r.raw("EX_NVM_NODE_TABLE_START_far", node_id - 1)
        if not any(info):
            if node_id in virtual:
                nodes[node_id] = NodeEntry(node_id, virtual=True, has_info=False)
            continue
        lwr = r.raw("EX_NVM_ROUTECACHE_START_far", node_id - 1)
        nlwr = r.raw("EX_NVM_ROUTECACHE_NLWR_SR_START_far", node_id - 1)
        nodes[node_id] = NodeEntry(
            node_id=node_id,
            protocol_info=info[:3],
            generic=info[3],
            specific=info[4],
            neighbors=parse_mask(r.raw("EX_NVM_ROUTING_TABLE_START_far", node_id - 1)),
            suc_update_index=r.byte("EX_NVM_SUC_CONTROLLER_LIST_START_far", node_id - 1),
            virtual=node_id in virtual,
            app_route_lock=node_id in masks["EX_NVM_ROUTECACHE_APP_LOCK_far"],
            route_slave_suc=node_id in masks["EX_NVM_SUC_ROUTING_SLAVE_LIST_START_far"],
            suc_pending_update=node_id in masks["EX_NVM_PENDING_UPDATE_far"],
            pending_discovery=node_id in masks["NVM_PENDING_DISCOVERY_far"],
            lwr=lwr if any(lwr) else None,
            nlwr=nlwr if any(nlwr) else None,
        )
    entries = []
    for i in range(SUC_MAX_UPDATES):
        entry = r.raw("EX_NVM_SUC_NODE_LIST_START_far", i)
        if any(b not in (0x00, 0xFF) for b in entry):
            entries.append(entry)
    num_ccs = r.byte("EEOFFSET_CMDCLASS_LEN_far")
    own_home_id = r.number("EX_NVM_HOME_ID_far")
    learned = r.number("NVM_HOMEID_far") or None
    stored_node_id = r.byte("NVM_NODEID_far")
    config = r.byte("EX_NVM_CONTROLLER_CONFIGURATION_far")
    suc_node_id = r.byte("EX_NVM_STATIC_CONTROLLER_NODE_ID_START_far")
    effective_config = 0x1C if config == 0xFF else config  # 0xFF: never written (zwave-js #6055)
    if effective_config & CAP_ON_OTHER_NETWORK and learned and stored_node_id:
        home_id, node_id = learned, stored_node_id
    else:
        home_id = own_home_id
        node_id = (suc_node_id or 1) if effective_config & CAP_SUC else 1
    own = nodes.get(node_id)
    rf_500: dict[str, Any] = {"watchdog_started": r.byte("EEOFFSET_WATCHDOG_STARTED_far")}
    if r.has("EEOFFSET_POWERLEVEL_NORMAL_far"):
        rf_500["power_level_normal"] = list(r.all("EEOFFSET_POWERLEVEL_NORMAL_far"))
        rf_500["power_level_low"] = list(r.all("EEOFFSET_POWERLEVEL_LOW_far"))
    if r.has("EEOFFSET_MODULE_POWER_MODE_far"):
        rf_500["power_mode"] = r.byte("EEOFFSET_MODULE_POWER_MODE_far")
        rf_500["power_mode_extint_enable"] = r.byte("EEOFFSET_MODULE_POWER_MODE_EXTINT_ENABLE_far")
        rf_500["power_mode_wut_timeout"] = r.number("EEOFFSET_MODULE_POWER_MODE_WUT_TIMEOUT_far")
    controller = ControllerEntry(
        home_id=home_id,
        node_id=node_id,
        stored_node_id=stored_node_id,
        own_home_id=own_home_id,
        learned_home_id=learned,
        last_node_id=r.byte("EX_NVM_LAST_USED_NODE_ID_START_far"),
        max_node_id=r.byte("EX_NVM_MAX_NODE_ID_far"),
        reserved_id=r.byte("EX_NVM_RESERVED_ID_far"),
        suc_node_id=suc_node_id,
        suc_last_index=r.byte("EX_NVM_SUC_LAST_INDEX_START_far"),
        controller_configuration=config,
        system_state=r.opt_byte("NVM_SYSTEM_STATE") or 0,
        suc_update_entries=entries,
        preferred_repeaters=tuple(n for n in parse_mask(r.raw("NVM_PREFERRED_REPEATERS_far")) if n <= MAX_NODES),
        listening=own.info.listening if own else True,
        optional_functionality=own.info.optional_functionality if own else False,
        generic=own.generic if own else 0x02,
        specific=(own.specific if own.info.has_specific_class else 0) if own else 0x01,
        ccs=tuple(r.all("EEOFFSET_CMDCLASS_far")[: min(num_ccs, APPL_NODEPARM_MAX)]),
        application_data=r.raw("EEOFFSET_HOST_OFFSET_START_far"),
        rf_500=rf_500,
    )
    return NvmDescription(
        series=SERIES_500,
        format=FORMAT_NVM500,
        protocol_version=_protocol_version(descriptor),
        application_version=f"{descriptor[8]}.{descriptor[9]}",
        controller=controller,
        nodes=nodes,
        layout=layout.name,
        library=layout.library,
        meta={
            "manufacturer_id": int.from_bytes(descriptor[0:2], "big"),
            "firmware_id": int.from_bytes(descriptor[2:4], "big"),
            "product_type": int.from_bytes(descriptor[4:6], "big"),
            "product_id": int.from_bytes(descriptor[6:8], "big"),
        },
        size=len(data),
    )


def _version_bytes(version: str) -> bytes:
    parts = [int(p) for p in version.split(".")[:2]]
    return bytes((parts[0] & 0xFF, (parts[1] if len(parts) > 1 else 0) & 0xFF))


class _Writer:
    def __init__(self, layout: Layout) -> None:
        self.offsets, size = static_offsets(layout)
        self.entries = {e.name: e for e in layout.entries}
        self.data = bytearray(b"\xff" * size)

    def has(self, name: str) -> bool:
        return name in self.offsets

    def put(self, name: str, value: bytes, index: int = 0) -> None:
        if not self.has(name):
            return
        entry = self.entries[name]
        start = self.offsets[name] + index * entry.item_size
        self.data[start : start + len(value)] = value

    def number(self, name: str, value: int, index: int = 0) -> None:
        if self.has(name):
            self.put(name, (value & ((1 << (8 * self.entries[name].item_size)) - 1)).to_bytes(self.entries[name].item_size, "big"), index)

    def fill(self, name: str, value: int) -> None:
        if self.has(name):
            entry = self.entries[name]
            self.put(name, bytes((value,)) * (entry.item_size * entry.count))

    def mask(self, name: str, ids: Any) -> None:
        if self.has(name):
            self.put(name, encode_mask(ids, self.entries[name].item_size))


def write_nvm500(
    desc: NvmDescription, *, protocol_version: str | None = None, library: str | None = None, meta: dict[str, Any] | None = None
) -> bytes:
    """Write ``desc`` as a 500-series image (nvmTotalEnd = image size - 1).

    ``protocol_version``/``library`` pick the target layout (default: the description's);
    ``meta`` the NVM descriptor ids (manufacturer, firmware id, product type and id).
    Raises NvmNotSupported when no layout exists for that protocol version and library."""
    protocol_version = protocol_version or desc.protocol_version
    library = library or desc.library or "static"
    layout = layout_for(protocol_version, library)
    if layout is None:
        raise NvmNotSupported(f"no 500-series layout for protocol {protocol_version} ({library} library)")
    meta = {**desc.meta, **(meta or {})}
    w = _Writer(layout)
    c = desc.controller
    # Module sizes and descriptors, then the fixed markers (as nvmedit's erase()).
    sizes = [e.name for e in layout.entries if e.kind is Kind.MODULE_SIZE]
    descriptors = [e.name for e in layout.entries if e.kind is Kind.MODULE_DESCRIPTOR]
    for size_name, desc_name in zip(sizes, descriptors, strict=True):
        size = w.offsets[desc_name] + 5 - w.offsets[size_name]
        w.number(size_name, size)
        version = protocol_version if desc_name == "nvmZWlibraryDescriptor" else desc.application_version
        w.put(desc_name, size.to_bytes(2, "big") + bytes((MODULE_TYPES[desc_name],)) + _version_bytes(version))
    w.number("nvmTotalEnd", len(w.data) - 1)
    w.number("NVM_CONFIGURATION_VALID_far", CONFIGURATION_VALID_0)
    w.number("NVM_CONFIGURATION_REALLYVALID_far", CONFIGURATION_VALID_1)
    w.number("EEOFFSET_MAGIC_far", MAGIC_VALUE)
    w.number("EX_NVM_ROUTECACHE_MAGIC_far", ROUTECACHE_VALID)
    w.number("nvmModuleSizeEndMarker", 0)
    w.put(
        "nvmDescriptor",
        b"".join(int(meta.get(k, 0)).to_bytes(2, "big") for k in ("manufacturer_id", "firmware_id", "product_type", "product_id"))
        + _version_bytes(desc.application_version)
        + _version_bytes(protocol_version),
    )
    for name, value in (
        ("NVM_INTERNAL_RESERVED_1_far", 0),
        ("NVM_INTERNAL_RESERVED_2_far", 0xFF),
        ("NVM_INTERNAL_RESERVED_3_far", 0),
        ("NVM_RTC_TIMERS_far", 0),
        ("EX_NVM_SUC_ACTIVE_START_far", 0),
        ("EX_NVM_ZENSOR_TABLE_START_far", 0),
        ("NVM_SECURITY0_KEY_far", 0),
        ("EX_NVM_SUC_CONTROLLER_LIST_START_far", 0xFE),
        ("EX_NVM_NODE_TABLE_START_far", 0),
        ("EX_NVM_ROUTING_TABLE_START_far", 0),
        ("EX_NVM_ROUTECACHE_START_far", 0),
        ("EX_NVM_ROUTECACHE_NLWR_SR_START_far", 0),
    ):
        w.fill(name, value)
    # Controller
    w.number("EX_NVM_HOME_ID_far", c.own_home_id if c.own_home_id is not None else c.home_id)
    w.number("NVM_HOMEID_far", c.learned_home_id or 0)
    w.number("NVM_NODEID_far", c.stored_node_id)
    w.number("EX_NVM_LAST_USED_NODE_ID_START_far", c.last_node_id)
    w.number("EX_NVM_MAX_NODE_ID_far", c.max_node_id)
    w.number("EX_NVM_RESERVED_ID_far", c.reserved_id)
    w.number("EX_NVM_STATIC_CONTROLLER_NODE_ID_START_far", c.suc_node_id)
    w.number("EX_NVM_CONTROLLER_CONFIGURATION_far", c.controller_configuration)
    for i in range(SUC_MAX_UPDATES):
        entry = c.suc_update_entries[i] if i < len(c.suc_update_entries) else b""
        w.put("EX_NVM_SUC_NODE_LIST_START_far", entry[:SUC_UPDATE_ENTRY_SIZE].ljust(SUC_UPDATE_ENTRY_SIZE, b"\x00"), i)
    w.number("EX_NVM_SUC_LAST_INDEX_START_far", c.suc_last_index)
    w.number("NVM_SYSTEM_STATE", c.system_state)
    rf = c.rf_500 or {}
    w.number("EEOFFSET_WATCHDOG_STARTED_far", rf.get("watchdog_started", 0))
    for key, name in (("power_level_normal", "EEOFFSET_POWERLEVEL_NORMAL_far"), ("power_level_low", "EEOFFSET_POWERLEVEL_LOW_far")):
        if key in rf:
            w.put(name, bytes(rf[key]))
    for key, name in (
        ("power_mode", "EEOFFSET_MODULE_POWER_MODE_far"),
        ("power_mode_extint_enable", "EEOFFSET_MODULE_POWER_MODE_EXTINT_ENABLE_far"),
        ("power_mode_wut_timeout", "EEOFFSET_MODULE_POWER_MODE_WUT_TIMEOUT_far"),
    ):
        if key in rf:
            w.number(name, rf[key])
    w.mask("NVM_PREFERRED_REPEATERS_far", c.preferred_repeaters)
    ccs = list(c.ccs)[:APPL_NODEPARM_MAX]
    w.number("EEOFFSET_CMDCLASS_LEN_far", len(c.ccs))
    w.put("EEOFFSET_CMDCLASS_far", bytes(ccs) + b"\xff" * (APPL_NODEPARM_MAX - len(ccs)))
    if c.application_data:
        w.put("EEOFFSET_HOST_OFFSET_START_far", c.application_data[:HOST_DATA_SIZE])
    # Nodes
    flags: dict[str, list[int]] = {k: [] for k in ("lock", "slave", "pending", "virtual", "discovery")}
    for node_id in sorted(desc.nodes):
        node = desc.nodes[node_id]
        if node.virtual:
            flags["virtual"].append(node_id)
        if not node.has_info:
            continue
        for key, on in (
            ("lock", node.app_route_lock),
            ("slave", node.route_slave_suc),
            ("pending", node.suc_pending_update),
            ("discovery", node.pending_discovery),
        ):
            if on:
                flags[key].append(node_id)
        specific = node.specific if node.info.has_specific_class else 0
        w.put("EX_NVM_NODE_TABLE_START_far", node.protocol_info[:3] + bytes((node.generic, specific)), node_id - 1)
        w.number("EX_NVM_SUC_CONTROLLER_LIST_START_far", node.suc_update_index, node_id - 1)
        w.put("EX_NVM_ROUTING_TABLE_START_far", encode_mask(node.neighbors), node_id - 1)
        w.put("EX_NVM_ROUTECACHE_START_far", (node.lwr or bytes(ROUTE_SIZE))[:ROUTE_SIZE], node_id - 1)
        w.put("EX_NVM_ROUTECACHE_NLWR_SR_START_far", (node.nlwr or bytes(ROUTE_SIZE))[:ROUTE_SIZE], node_id - 1)
    w.mask("EX_NVM_ROUTECACHE_APP_LOCK_far", flags["lock"])
    w.mask("EX_NVM_SUC_ROUTING_SLAVE_LIST_START_far", flags["slave"])
    w.mask("EX_NVM_PENDING_UPDATE_far", flags["pending"])
    w.mask("EX_NVM_BRIDGE_NODEPOOL_START_far", flags["virtual"])
    w.mask("NVM_PENDING_DISCOVERY_far", flags["discovery"])
    return bytes(w.data)
