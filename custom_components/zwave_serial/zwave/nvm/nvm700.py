"""700/800-series NVM images: the files of the NVM3 store to and from a description.

File ids and payloads follow protocol-facts §3.5.  Several files changed shape with the
protocol file format (0..5): node information one per file (format 0) or four per file,
route caches one or eight per file, SUC update entries in one file or eight per file
(format 5), and the controller information gained Long Range fields (format 3).  Multi-byte
fields inside files are little-endian.  :func:`write_nvm700` writes the files in the order
Z-Wave JS's nvmedit does, so a description written for the same SDK gives the same bytes.
"""

from __future__ import annotations

from typing import Any

from .errors import NvmFormatError, NvmNotSupported
from .image import (
    FORMAT_NVM3,
    NODE_MASK_BYTES,
    SERIES_700,
    SERIES_800,
    SUC_MAX_UPDATES,
    SUC_UPDATE_ENTRY_SIZE,
    ControllerEntry,
    LongRangeNode,
    NodeEntry,
    NvmDescription,
    encode_mask,
    parse_mask,
)
from .nvm3 import SIZE_700, SIZE_800_SHARED, Nvm3Meta, Nvm3Store, read_store, write_store

__all__ = ["MAX_PROTOCOL_FILE_FORMAT", "parse_nvm700", "version_tuple", "write_nvm700"]

MAX_PROTOCOL_FILE_FORMAT = 5
# Application files
APP_TYPE, APP_CCS, APP_RF_CONFIG, APP_DATA = 0x66, 0x67, 0x68, 0xC8
APP_NAME, APP_VERSION_800, APP_VERSION = 0x4100C, 0x41000, 0x51000
# Protocol files
PROTOCOL_VERSION, PREFERRED_REPEATERS, SUC_UPDATES_V0, CONTROLLER_INFO = 0x50000, 0x50002, 0x50003, 0x50004
NODE_LIST, APP_ROUTE_LOCK, ROUTE_SLAVE_SUC, SUC_PENDING = 0x50005, 0x50006, 0x50007, 0x50008
VIRTUAL_NODES, PENDING_DISCOVERY, ROUTE_CACHE_EXISTS, LR_NODE_LIST = 0x50009, 0x5000A, 0x5000B, 0x5000C
NODE_INFO_V0, NODE_INFO_V1, ROUTE_CACHE_V0, ROUTE_CACHE_V1 = 0x50100, 0x50200, 0x50400, 0x51400
LR_NODE_INFO_V5, SUC_UPDATES_V5 = 0x50800, 0x54000
NODE_INFO_SIZE = 35  # [3 protocol info][generic][specific][29 neighbours][SUC update index]
ROUTE_CACHE_SIZE = 10  # [LWR 5][NLWR 5]
LR_INFO_SIZE = 3
LR_MASK_BYTES = 128  # node ids 256..1279
MAX_CCS = 35
EMPTY_ROUTE = bytes((0xFE, 0, 0, 0, 0x02))  # direct, 40 kbit/s (nvmedit's empty route)
#: Application version written at most (newer sticks migrate their files themselves).
HIGHEST_APPLICATION_VERSION = (7, 21, 0)


def version_tuple(version: str) -> tuple[int, int, int]:
    """"7.18.3" -> (7, 18, 3); missing or non-numeric parts count as 0."""
    parts = [int(p) if p.isdigit() else 0 for p in [*version.split("."), "0", "0"][:3]]
    return parts[0], parts[1], parts[2]


def _version(raw: bytes) -> tuple[str, int]:
    """A version file ``[patch][minor][major][format]`` -> ("major.minor.patch", format)."""
    return f"{raw[2]}.{raw[1]}.{raw[0]}", raw[3]


def _int(raw: bytes, offset: int, size: int) -> int:
    return int.from_bytes(raw[offset : offset + size], "little", signed=True)


def _rf_config(raw: bytes | None) -> dict[str, Any] | None:
    """The RF configuration file; powers in tenths of dBm."""
    if raw is None:
        return None
    if len(raw) in (3, 6):
        out = {"region": raw[0], "tx_power": _int(raw, 1, 1), "measured_0dbm": _int(raw, 2, 1)}
        if len(raw) == 6:
            out.update(enable_pti=raw[3], max_tx_power=_int(raw, 4, 2))
        return out
    if len(raw) in (8, 9):
        out = {
            "region": raw[0],
            "tx_power": _int(raw, 1, 2),
            "measured_0dbm": _int(raw, 3, 2),
            "enable_pti": raw[5],
            "max_tx_power": _int(raw, 6, 2),
        }
        if len(raw) == 9:
            out["node_id_type"] = raw[8]
        return out
    raise NvmNotSupported(f"RF configuration file of {len(raw)} bytes is not supported")


def _encode_rf_config(rf: dict[str, Any], app_version: tuple[int, int, int]) -> bytes:
    def s(value: int, size: int) -> bytes:
        return int(value).to_bytes(size, "little", signed=True)

    if app_version < (7, 18, 1):
        out = bytes((rf["region"],)) + s(rf["tx_power"], 1) + s(rf["measured_0dbm"], 1)
        if app_version >= (7, 15, 3):
            out += bytes((rf.get("enable_pti") or 0,)) + s(rf.get("max_tx_power") or 0, 2)
        return out
    out = (
        bytes((rf["region"],))
        + s(rf["tx_power"], 2)
        + s(rf["measured_0dbm"], 2)
        + bytes((rf.get("enable_pti") or 0,))
        + s(rf.get("max_tx_power") or 0, 2)
    )
    if app_version >= (7, 21, 0):
        out += bytes((rf.get("node_id_type") or 1,))
    return out


def _cc_lists(raw: bytes) -> tuple[tuple[int, ...], ...]:
    lists = []
    for index in range(3):
        offset = index * (1 + MAX_CCS)
        count = raw[offset] if offset < len(raw) else 0
        lists.append(tuple(raw[offset + 1 : offset + 1 + min(count, MAX_CCS)]))
    return tuple(lists)


def _suc_entries(raw: bytes) -> list[bytes]:
    out = []
    for offset in range(0, len(raw) - SUC_UPDATE_ENTRY_SIZE + 1, SUC_UPDATE_ENTRY_SIZE):
        entry = raw[offset : offset + SUC_UPDATE_ENTRY_SIZE]
        if any(b not in (0x00, 0xFF) for b in entry):
            out.append(entry)
    return out


def _protocol_version(store: Nvm3Store) -> tuple[str, int]:
    raw = store.get(PROTOCOL_VERSION)
    if raw is not None and len(raw) >= 4:
        return _version(raw)
    # SDK 7.23.0/7.23.1 forgot to write the protocol version file (zwave-js works around it)
    rf, info = store.get(APP_RF_CONFIG), store.get(CONTROLLER_INFO)
    if (
        rf is not None
        and len(rf) == 9
        and store.get(APP_VERSION_800) is not None
        and store.get(LR_NODE_LIST) is not None
        and info is not None
        and len(info) == 22
    ):
        return "7.23.0", 5
    raise NvmFormatError("the NVM3 image has no protocol version file")


def _node_info(store: Nvm3Store, node_id: int, fmt: int) -> bytes | None:
    if fmt < 1:
        raw = store.get(NODE_INFO_V0 + node_id - 1)
        return raw[:NODE_INFO_SIZE] if raw is not None and len(raw) >= NODE_INFO_SIZE else None
    raw = store.get(NODE_INFO_V1 + (node_id - 1) // 4)
    if raw is None:
        return None
    entry = raw[((node_id - 1) % 4) * NODE_INFO_SIZE :][:NODE_INFO_SIZE]
    return entry if len(entry) == NODE_INFO_SIZE and entry != b"\xff" * NODE_INFO_SIZE else None


def _routes(store: Nvm3Store, node_id: int, fmt: int) -> bytes | None:
    if fmt < 1:
        raw = store.get(ROUTE_CACHE_V0 + node_id - 1)
    else:
        raw = store.get(ROUTE_CACHE_V1 + (node_id - 1) // 8)
        raw = raw[((node_id - 1) % 8) * ROUTE_CACHE_SIZE :][:ROUTE_CACHE_SIZE] if raw is not None else None
    if raw is None or len(raw) < ROUTE_CACHE_SIZE or raw == b"\xff" * ROUTE_CACHE_SIZE:
        return None
    return raw[:ROUTE_CACHE_SIZE]


def parse_nvm700(data: bytes) -> NvmDescription:
    """Parse a 700/800-series NVM3 image.  Raises NvmFormatError (not NVM3, corrupt, files
    missing) or NvmNotSupported (a protocol file format newer than 5)."""
    store = read_store(data)
    protocol_version, fmt = _protocol_version(store)
    if fmt > MAX_PROTOCOL_FILE_FORMAT:
        raise NvmNotSupported(f"NVM3 protocol file format {fmt} is newer than this driver understands")
    app_raw = store.get(APP_VERSION) or store.get(APP_VERSION_800)
    info_raw = store.get(CONTROLLER_INFO)
    type_raw = store.get(APP_TYPE)
    if app_raw is None or info_raw is None or type_raw is None or store.get(NODE_LIST) is None:
        raise NvmFormatError("the NVM3 image lacks the application version, controller or node list file")
    application_version, app_format = _version(app_raw)

    def mask(key: int) -> set[int]:
        raw = store.get(key)
        return set(parse_mask(raw)) if raw else set()

    flags = {key: mask(key) for key in (APP_ROUTE_LOCK, ROUTE_SLAVE_SUC, SUC_PENDING, VIRTUAL_NODES, PENDING_DISCOVERY)}
    nodes: dict[int, NodeEntry] = {}
    for node_id in parse_mask(store.get(NODE_LIST) or b""):
        info = _node_info(store, node_id, fmt)
        if info is None:
            raise NvmFormatError(f"the NVM3 image lists node {node_id} but has no node information for it")
        routes = _routes(store, node_id, fmt)
        nodes[node_id] = NodeEntry(
            node_id=node_id,
            protocol_info=info[:3],
            generic=info[3],
            specific=info[4],
            neighbors=parse_mask(info[5 : 5 + NODE_MASK_BYTES]),
            suc_update_index=info[5 + NODE_MASK_BYTES],
            virtual=node_id in flags[VIRTUAL_NODES],
            app_route_lock=node_id in flags[APP_ROUTE_LOCK],
            route_slave_suc=node_id in flags[ROUTE_SLAVE_SUC],
            suc_pending_update=node_id in flags[SUC_PENDING],
            pending_discovery=node_id in flags[PENDING_DISCOVERY],
            lwr=routes[:5] if routes else None,
            nlwr=routes[5:] if routes else None,
        )
    lr_nodes: dict[int, LongRangeNode] = {}
    for node_id in parse_mask(store.get(LR_NODE_LIST) or b"", start=256):
        raw = store.get(LR_NODE_INFO_V5 + (node_id - 256) // 50)
        entry = raw[((node_id - 256) % 50) * LR_INFO_SIZE :][:LR_INFO_SIZE] if raw else b""
        if len(entry) == LR_INFO_SIZE and entry != b"\xff\xff\xff":
            lr_nodes[node_id] = LongRangeNode(node_id, entry[0], entry[1], entry[2])
    if fmt < 5:
        suc_entries = _suc_entries(store.get(SUC_UPDATES_V0) or b"")
    else:
        suc_entries = []
        for index in range(SUC_MAX_UPDATES // 8):
            raw = store.get(SUC_UPDATES_V5 + index)
            if raw is None:
                break
            suc_entries += _suc_entries(raw)
    ccs = _cc_lists(store.get(APP_CCS) or bytes(108))
    if len(info_raw) == 13:
        node_id = info_raw[4]
        last, suc, suc_index, config, push, max_id, reserved, state = info_raw[5:13]
        long_range = None
    elif len(info_raw) == 22:
        node_id, suc = _int(info_raw, 4, 2) & 0xFFFF, _int(info_raw, 6, 2) & 0xFFFF
        last, suc_index, max_id, config = info_raw[10], info_raw[11], info_raw[14], info_raw[15]
        reserved, state, push = info_raw[18], info_raw[19], None
        long_range = {
            "last_node_id": _int(info_raw, 8, 2) & 0xFFFF,
            "max_node_id": _int(info_raw, 12, 2) & 0xFFFF,
            "reserved_id": _int(info_raw, 16, 2) & 0xFFFF,
            "primary_channel": info_raw[20],
            "dcdc_config": info_raw[21],
        }
    else:
        raise NvmNotSupported(f"controller information file of {len(info_raw)} bytes is not supported")
    name_raw = store.get(APP_NAME)
    repeaters = store.get(PREFERRED_REPEATERS)
    controller = ControllerEntry(
        home_id=int.from_bytes(info_raw[0:4], "big"),
        node_id=node_id,
        stored_node_id=node_id,
        last_node_id=last,
        max_node_id=max_id,
        reserved_id=reserved,
        suc_node_id=suc,
        suc_last_index=suc_index,
        controller_configuration=config,
        system_state=state,
        suc_update_entries=suc_entries,
        preferred_repeaters=parse_mask(repeaters) if repeaters is not None else (),
        listening=bool(type_raw[0] & 0x01),
        optional_functionality=bool(type_raw[0] & 0x02),
        generic=type_raw[1],
        specific=type_raw[2],
        ccs=ccs[0],
        ccs_secure_insecure=ccs[1],
        ccs_secure_secure=ccs[2],
        application_data=store.get(APP_DATA),
        application_name=name_raw.split(b"\x00")[0].decode("utf-8", "replace") if name_raw is not None else None,
        suc_awareness_push=push,
        long_range=long_range,
        rf_config=_rf_config(store.get(APP_RF_CONFIG)),
    )
    return NvmDescription(
        series=SERIES_800 if store.meta.shared else SERIES_700,
        format=FORMAT_NVM3,
        protocol_version=protocol_version,
        application_version=application_version,
        controller=controller,
        nodes=nodes,
        lr_nodes=lr_nodes,
        protocol_file_format=fmt,
        application_file_format=app_format,
        meta=store.meta.as_dict(),
        size=len(data),
    )


def target_formats(target_sdk: str) -> tuple[tuple[int, int, int], tuple[int, int, int], int]:
    """(application version to write, protocol version to write, protocol file format) for a
    target stick running ``target_sdk`` (nvmedit's ``jsonToNVM`` table)."""
    sdk = version_tuple(target_sdk)
    app = min(sdk, HIGHEST_APPLICATION_VERSION)
    for threshold, fmt in (((7, 19, 0), 5), ((7, 17, 0), 4), ((7, 15, 3), 3), ((7, 12, 0), 2), ((7, 11, 0), 1)):
        if sdk >= threshold:
            return app, threshold, fmt
    return app, (7, 0, 0), 0


def _node_info_bytes(node: NodeEntry) -> bytes:
    specific = node.specific if node.info.has_specific_class else 0
    return (
        node.protocol_info[:3]
        + bytes((node.generic, specific))
        + encode_mask(node.neighbors)
        + bytes((node.suc_update_index,))
    )


def _controller_info(c: ControllerEntry, fmt: int) -> bytes:
    home = c.home_id.to_bytes(4, "big")
    if fmt < 3:
        return home + bytes(
            (c.node_id, c.last_node_id, c.suc_node_id, c.suc_last_index, c.controller_configuration,
             c.suc_awareness_push or 0, c.max_node_id, c.reserved_id, c.system_state)
        )  # fmt: skip
    lr = {"last_node_id": 255, "max_node_id": 0, "reserved_id": 0, "primary_channel": 0, "dcdc_config": 255}
    lr.update(c.long_range or {})

    def u16(value: int) -> bytes:
        return (value & 0xFFFF).to_bytes(2, "little")

    return (
        home + u16(c.node_id) + u16(c.suc_node_id) + u16(lr["last_node_id"])
        + bytes((c.last_node_id, c.suc_last_index)) + u16(lr["max_node_id"])
        + bytes((c.max_node_id, c.controller_configuration)) + u16(lr["reserved_id"])
        + bytes((c.reserved_id, c.system_state, lr["primary_channel"], lr["dcdc_config"]))
    )  # fmt: skip


def write_nvm700(desc: NvmDescription, target_sdk: str, meta: Nvm3Meta | None = None) -> bytes:
    """Write ``desc`` as the NVM3 image of a stick running SDK ``target_sdk`` (its application
    version), with the flash organisation ``meta`` (default: the description's)."""
    meta = meta or Nvm3Meta(**{k: v for k, v in desc.meta.items() if k in Nvm3Meta.__dataclass_fields__})
    app_version, proto_version, fmt = target_formats(target_sdk)
    sdk = version_tuple(target_sdk)
    c = desc.controller
    files: dict[int, bytes] = {}  # insertion order = nvmedit's pending-change order

    files[APP_TYPE] = bytes((int(c.listening) | int(c.optional_functionality) << 1, c.generic, c.specific))
    ccs = bytearray(3 * (1 + MAX_CCS))
    for index, cc_list in enumerate((c.ccs, c.ccs_secure_insecure, c.ccs_secure_secure)):
        items = bytes(cc_list)[:MAX_CCS]
        ccs[index * (1 + MAX_CCS)] = len(cc_list) & 0xFF
        ccs[index * (1 + MAX_CCS) + 1 : index * (1 + MAX_CCS) + 1 + len(items)] = items
    files[APP_CCS] = bytes(ccs)
    rf = dict(c.rf_config or {"region": 0x00, "tx_power": 0, "measured_0dbm": 33})
    files[APP_RF_CONFIG] = _encode_rf_config(rf, sdk)
    if c.application_data:
        files[APP_DATA] = bytes(c.application_data)
    if c.application_name and meta.shared:
        files[APP_NAME] = c.application_name.encode("utf-8")[:30].ljust(30, b"\x00")
    routed: set[int] = set()
    files[ROUTE_CACHE_EXISTS] = b""  # placeholder keeps nvmedit's position
    node_infos: dict[int, bytearray] = {}
    route_files: dict[int, bytearray] = {}
    for node_id in sorted(desc.nodes):
        node = desc.nodes[node_id]
        if not node.has_info:
            continue
        if fmt < 1:
            files[NODE_INFO_V0 + node_id - 1] = _node_info_bytes(node)
        else:
            key = NODE_INFO_V1 + (node_id - 1) // 4
            buf = node_infos.setdefault(key, bytearray(b"\xff" * 4 * NODE_INFO_SIZE))
            at = ((node_id - 1) % 4) * NODE_INFO_SIZE
            buf[at : at + NODE_INFO_SIZE] = _node_info_bytes(node)
            files[key] = bytes(buf)
        if node.lwr is not None or node.nlwr is not None:
            routes = (node.lwr or EMPTY_ROUTE)[:5] + (node.nlwr or EMPTY_ROUTE)[:5]
            routed.add(node_id)
            if fmt < 1:
                files[ROUTE_CACHE_V0 + node_id - 1] = routes
            else:
                key = ROUTE_CACHE_V1 + (node_id - 1) // 8
                buf = route_files.setdefault(key, bytearray(b"\xff" * 8 * ROUTE_CACHE_SIZE))
                at = ((node_id - 1) % 8) * ROUTE_CACHE_SIZE
                buf[at : at + ROUTE_CACHE_SIZE] = routes
                files[key] = bytes(buf)
    files[ROUTE_CACHE_EXISTS] = encode_mask(routed)
    real = [n for n, node in desc.nodes.items() if node.has_info]
    files[NODE_LIST] = encode_mask(real)
    lr_files: dict[int, bytearray] = {}
    for node_id in sorted(desc.lr_nodes):
        lr_node = desc.lr_nodes[node_id]
        key = LR_NODE_INFO_V5 + (node_id - 256) // 50
        buf = lr_files.setdefault(key, bytearray(b"\xff" * 50 * LR_INFO_SIZE))
        at = ((node_id - 256) % 50) * LR_INFO_SIZE
        buf[at : at + LR_INFO_SIZE] = bytes((lr_node.capability, lr_node.generic, lr_node.specific))
        files[key] = bytes(buf)
    files[LR_NODE_LIST] = encode_mask(desc.lr_nodes, LR_MASK_BYTES, start=256)
    files[CONTROLLER_INFO] = _controller_info(c, fmt)
    for key, attr in (
        (APP_ROUTE_LOCK, "app_route_lock"),
        (ROUTE_SLAVE_SUC, "route_slave_suc"),
        (SUC_PENDING, "suc_pending_update"),
    ):
        files[key] = encode_mask([n for n, node in desc.nodes.items() if node.has_info and getattr(node, attr)])
    files[VIRTUAL_NODES] = encode_mask([n for n, node in desc.nodes.items() if node.virtual])
    files[PENDING_DISCOVERY] = encode_mask([n for n, node in desc.nodes.items() if node.has_info and node.pending_discovery])
    if c.preferred_repeaters:
        files[PREFERRED_REPEATERS] = encode_mask(c.preferred_repeaters)
    entries = c.suc_update_entries[:SUC_MAX_UPDATES]
    if fmt < 5:
        files[SUC_UPDATES_V0] = b"".join(entries).ljust(SUC_MAX_UPDATES * SUC_UPDATE_ENTRY_SIZE, b"\x00")
    else:
        for index in range(0, len(entries), 8):
            files[SUC_UPDATES_V5 + index // 8] = b"".join(entries[index : index + 8]).ljust(8 * SUC_UPDATE_ENTRY_SIZE, b"\xff")

    def version_file(version: tuple[int, int, int], file_format: int) -> bytes:
        return bytes((version[2], version[1], version[0], file_format))

    app_key = APP_VERSION_800 if meta.shared else APP_VERSION
    app_file = [(app_key, version_file(app_version, 0))]
    proto_file = [(PROTOCOL_VERSION, version_file(proto_version, fmt))]
    application = [(k, v) for k, v in files.items() if k in _APPLICATION_FILES]
    protocol = [(k, v) for k, v in files.items() if k not in _APPLICATION_FILES]
    size = SIZE_800_SHARED if meta.shared else SIZE_700
    if meta.shared:
        pending = [(k, v) for k, v in files.items()]
        return write_store(size, meta, [app_file, proto_file, proto_file, pending], [])
    return write_store(size, meta, [app_file, application], [proto_file, proto_file, protocol])


_APPLICATION_FILES = frozenset({APP_TYPE, APP_CCS, APP_RF_CONFIG, APP_DATA, APP_NAME, APP_VERSION, APP_VERSION_800})

