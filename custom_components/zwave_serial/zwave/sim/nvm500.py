"""The virtual 500-series stick's NVM: a Static 6.8x image (protocol 6.07), built from the
stick's network and read back after a restore.

Written independently of the driver's parser from the layout facts (protocol-facts §3.4):
the library module at fixed offsets, then the application, host-application and NVM
descriptor modules found through their size fields, as on a real Z-Stick Gen5 image
(library 0x2FD0 bytes, application 0x5E, host application 0x807, descriptor 0x13).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .ccutil import bitmask

TOTAL_END = 0x385F
LIB_SIZE = 0x2FD0
APP_START, APP_SIZE = 0x2FD2, 0x5E
HOST_START, HOST_SIZE = 0x3030, 0x807
DESC_START, DESC_SIZE = 0x3837, 0x13
END_MARKER = 0x384A
HOME_ID, LEARNED_HOME_ID, NODE_ID = 0x0008, 0x0010, 0x0014
NODE_TABLE, ROUTING_TABLE = 0x00F8, 0x0580
LAST_NODE_ID, SUC_NODE_ID, SUC_CONTROLLER_LIST, SUC_LAST_INDEX = 0x1FC8, 0x1FC9, 0x2568, 0x2650
CONTROLLER_CONFIG, MAX_NODE_ID, ROUTE_CACHE_MAGIC = 0x268B, 0x268C, 0x2F9E
PROTOCOL = (6, 7)
CAP_ON_OTHER_NETWORK, CAP_REAL_PRIMARY, CAP_SIS, CAP_SUC = 0x02, 0x08, 0x04, 0x10


@dataclass
class NetworkFacts:
    """What the virtual stick keeps in its NVM (both series)."""

    home_id: int
    own_node_id: int
    suc_node_id: int
    #: node id -> (3 protocol-info bytes, generic, specific), the controller included
    nodes: dict[int, tuple[bytes, int, int]] = field(default_factory=dict)
    neighbors: dict[int, set[int]] = field(default_factory=dict)
    last_node_id: int = 1


def _module_descriptor(size: int, kind: int, version: tuple[int, int]) -> bytes:
    return size.to_bytes(2, "big") + bytes((kind, *version))


def build(facts: NetworkFacts, ids: tuple[int, int, int, int], app_version: tuple[int, int] = (1, 2)) -> bytes:
    """The used part of the NVM (``nvmTotalEnd`` + 1 bytes); ``ids`` = manufacturer,
    firmware id, product type, product id of the NVM descriptor."""
    img = bytearray(b"\xff" * (TOTAL_END + 1))

    def put(offset: int, data: bytes) -> None:
        img[offset : offset + len(data)] = data

    put(0, TOTAL_END.to_bytes(2, "big") + LIB_SIZE.to_bytes(2, "big") + bytes(4))
    put(HOME_ID, facts.home_id.to_bytes(4, "big") + b"\xff" * 4 + bytes(4))
    primary = facts.own_node_id == 1
    put(NODE_ID, bytes((0 if primary else facts.own_node_id, 0x54, 0xA5, 0)))
    put(0x0018, bytes(32 + 32 + 160))  # preferred repeaters, pending discovery, RTC timers
    table = bytearray(232 * 5)
    routing = bytearray(232 * 29)
    suc_list = bytearray(b"\xfe" * 232)
    for node_id, (info, generic, specific) in facts.nodes.items():
        table[(node_id - 1) * 5 : node_id * 5] = info[:3] + bytes((generic, specific))
        routing[(node_id - 1) * 29 : node_id * 29] = bitmask(sorted(facts.neighbors.get(node_id, ())), start=1, length=29)
        if node_id == facts.own_node_id:
            suc_list[node_id - 1] = 0xFF
    put(NODE_TABLE, bytes(table))
    put(ROUTING_TABLE, bytes(routing))
    put(LAST_NODE_ID, bytes((facts.last_node_id, facts.suc_node_id)) + bytes(29) + b"\x00")
    put(0x1FE8, bytes(64 * 22))  # SUC update list
    put(SUC_CONTROLLER_LIST, bytes(suc_list))
    put(SUC_LAST_INDEX, b"\x00" + bytes(29 + 29))  # last index, routing-slave list, zensor table
    config = CAP_REAL_PRIMARY | ((CAP_SIS | CAP_SUC) if facts.suc_node_id == facts.own_node_id else 0)
    put(CONTROLLER_CONFIG, bytes((config, facts.last_node_id, 0)))
    put(0x268E, bytes(2 * 232 * 5))  # route caches
    put(ROUTE_CACHE_MAGIC, b"\x4a" + bytes(29) + bytes(16) + b"\x00")  # magic, app lock, S0 key, state
    put(0x2FCD, _module_descriptor(LIB_SIZE, 0x02, PROTOCOL))
    app = APP_SIZE.to_bytes(2, "big") + b"\x42\x00" + b"\xff" * 35 + b"\x00" + b"\xff" * 12
    put(APP_START, app.ljust(APP_SIZE - 5, b"\x00") + _module_descriptor(APP_SIZE, 0x04, app_version))
    put(HOST_START, HOST_SIZE.to_bytes(2, "big"))
    put(HOST_START + HOST_SIZE - 5, _module_descriptor(HOST_SIZE, 0x05, app_version))
    mfr, fw_id, ptype, pid = ids
    descriptor = b"".join(v.to_bytes(2, "big") for v in (mfr, fw_id, ptype, pid)) + bytes((*app_version, *PROTOCOL))
    put(DESC_START, DESC_SIZE.to_bytes(2, "big") + descriptor + _module_descriptor(DESC_SIZE, 0xFF, app_version))
    put(END_MARKER, b"\x00\x00")
    return bytes(img)


def parse(img: bytes) -> NetworkFacts | None:
    """The network in a restored image, or None when it is not a valid Static 6.8x image."""
    if len(img) < DESC_START or img[0x15:0x17] != b"\x54\xa5" or img[ROUTE_CACHE_MAGIC] != 0x4A:
        return None
    if int.from_bytes(img[2:4], "big") != LIB_SIZE or int.from_bytes(img[APP_START : APP_START + 2], "big") < 5:
        return None
    if img[APP_START + 2] != 0x42:
        return None
    own_home = int.from_bytes(img[HOME_ID : HOME_ID + 4], "big")
    learned = int.from_bytes(img[LEARNED_HOME_ID : LEARNED_HOME_ID + 4], "big")
    stored_node = img[NODE_ID]
    config = img[CONTROLLER_CONFIG]
    suc = img[SUC_NODE_ID]
    if config & CAP_ON_OTHER_NETWORK and learned and stored_node:
        home_id, own = learned, stored_node
    else:
        home_id, own = own_home, (suc or 1) if config & CAP_SUC else 1
    facts = NetworkFacts(home_id, own, suc, last_node_id=img[LAST_NODE_ID])
    for node_id in range(1, 233):
        entry = img[NODE_TABLE + (node_id - 1) * 5 : NODE_TABLE + node_id * 5]
        if any(entry):
            facts.nodes[node_id] = (bytes(entry[:3]), entry[3], entry[4])
            mask = img[ROUTING_TABLE + (node_id - 1) * 29 : ROUTING_TABLE + node_id * 29]
            facts.neighbors[node_id] = {i * 8 + b + 1 for i, byte in enumerate(mask) for b in range(8) if byte >> b & 1}
    return facts
