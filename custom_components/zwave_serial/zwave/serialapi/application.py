"""Frames the stick sends on its own: commands from nodes and application updates (§2.3)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from ..errors import MessageDecodeError
from ._util import int8, parse_cc_list, require
from .functions import FunctionDef, FunctionType

RX_STATUS_ROUTED_BUSY = 0x01
RX_STATUS_LOW_POWER = 0x02
RX_STATUS_TYPE_MASK = 0x0C
RX_STATUS_BROADCAST = 0x04
RX_STATUS_MULTICAST = 0x08
RX_STATUS_EXPLORE = 0x10
RX_STATUS_FOREIGN_FRAME = 0x40
RX_STATUS_FOREIGN_HOME_ID = 0x80


@dataclass(frozen=True, slots=True)
class ApplicationCommand:
    """A command-class frame received from a node (0x04 or the bridge variant 0xA8)."""

    rx_status: int
    source_node_id: int
    command: bytes
    destination_node_id: int | None = None
    rssi: int | None = None

    @property
    def is_broadcast(self) -> bool:
        return self.rx_status & RX_STATUS_TYPE_MASK == RX_STATUS_BROADCAST

    @property
    def is_multicast(self) -> bool:
        return self.rx_status & RX_STATUS_TYPE_MASK == RX_STATUS_MULTICAST

    def __repr__(self) -> str:
        # Command bytes may carry secrets (user codes, keys): keep them out of reprs.
        return (
            f"ApplicationCommand(src={self.source_node_id}, rx_status=0x{self.rx_status:02X}, "
            f"len={len(self.command)})"
        )


def decode_application_command(payload: bytes) -> ApplicationCommand:
    """``[rxStatus][src][len][command...]`` (+ trailing bytes that are ignored)."""
    require(payload, 3, "ApplicationCommandHandler")
    length = payload[2]
    require(payload, 3 + length, "ApplicationCommandHandler command")
    return ApplicationCommand(payload[0], payload[1], bytes(payload[3 : 3 + length]))


def decode_bridge_application_command(payload: bytes) -> ApplicationCommand:
    """``[rxStatus][dst][src][len][command][mcMaskLen][mask][rssi?]``."""
    require(payload, 4, "BridgeApplicationCommandHandler")
    length = payload[3]
    require(payload, 4 + length, "BridgeApplicationCommandHandler command")
    rest = payload[4 + length :]
    rssi = None
    if rest:
        mask_len = rest[0]
        if len(rest) > 1 + mask_len:
            rssi = int8(rest[1 + mask_len])
    return ApplicationCommand(
        payload[0], payload[2], bytes(payload[4 : 4 + length]), destination_node_id=payload[1], rssi=rssi
    )


class UpdateType(IntEnum):
    """ApplicationUpdateRequest (0x49) update types."""

    SUC_ID_CHANGED = 0x10
    NODE_REMOVED = 0x20
    NODE_ADDED = 0x40
    ROUTING_PENDING = 0x80
    NODE_INFO_REQUEST_FAILED = 0x81
    NODE_INFO_REQUEST_DONE = 0x82
    NODE_INFO_RECEIVED = 0x84
    SMART_START_HOME_ID_RECEIVED = 0x85
    SMART_START_INCLUDED_NODE_INFO = 0x86
    SMART_START_LR_HOME_ID_RECEIVED = 0x87


@dataclass(frozen=True, slots=True)
class NodeInfoUpdate:
    """A node information frame: device classes and CC lists."""

    node_id: int
    basic: int
    generic: int
    specific: int
    supported_ccs: list[int]
    controlled_ccs: list[int]


def decode_nif(payload: bytes, what: str = "node information") -> NodeInfoUpdate:
    """``[nodeId][len][basic][generic][specific][CC list]`` (len counts basic..CCs)."""
    require(payload, 2, what)
    length = payload[1]
    if length < 3:
        raise MessageDecodeError(f"{what}: length {length} is too short for the device classes")
    require(payload, 2 + length, what)
    supported, controlled = parse_cc_list(payload[5 : 2 + length])
    return NodeInfoUpdate(payload[0], payload[2], payload[3], payload[4], supported, controlled)


@dataclass(frozen=True, slots=True)
class ApplicationUpdate:
    """ApplicationUpdateRequest (0x49).

    ``node_info`` is set for NIF-carrying updates (0x84 received, 0x40 added, SmartStart);
    ``node_id`` is 0 for a failed node-info request (0x81) because the stick does not say
    which node failed.
    """

    update_type: int
    node_id: int
    node_info: NodeInfoUpdate | None = None
    rx_status: int | None = None
    nwi_home_id: int | None = None
    raw: bytes = b""


def decode_application_update(payload: bytes) -> ApplicationUpdate:
    require(payload, 1, "ApplicationUpdateRequest")
    kind, body = payload[0], bytes(payload[1:])
    if kind in (UpdateType.NODE_INFO_RECEIVED, UpdateType.NODE_ADDED):
        nif = decode_nif(body, f"ApplicationUpdate 0x{kind:02X}")
        return ApplicationUpdate(kind, nif.node_id, node_info=nif, raw=body)
    if kind in (UpdateType.SMART_START_HOME_ID_RECEIVED, UpdateType.SMART_START_LR_HOME_ID_RECEIVED):
        # [nodeId][rxStatus][NWI homeId 4B][ccLen][basic][generic][specific][CCs (ccLen bytes)]
        require(body, 10, "ApplicationUpdate SmartStart")
        cc_len = body[6]
        require(body, 10 + cc_len, "ApplicationUpdate SmartStart CC list")
        supported, controlled = parse_cc_list(body[10 : 10 + cc_len])
        nif = NodeInfoUpdate(body[0], body[7], body[8], body[9], supported, controlled)
        return ApplicationUpdate(
            kind,
            body[0],
            node_info=nif,
            rx_status=body[1],
            nwi_home_id=int.from_bytes(body[2:6], "big"),
            raw=body,
        )
    return ApplicationUpdate(kind, body[0] if body else 0, raw=body)


DEFINITIONS: tuple[FunctionDef, ...] = (
    FunctionDef(
        FunctionType.APPLICATION_COMMAND_HANDLER,
        "ApplicationCommandHandler",
        decode_callback=decode_application_command,
        has_response=False,
    ),
    FunctionDef(
        FunctionType.BRIDGE_APPLICATION_COMMAND_HANDLER,
        "BridgeApplicationCommandHandler",
        decode_callback=decode_bridge_application_command,
        has_response=False,
    ),
    FunctionDef(
        FunctionType.APPLICATION_UPDATE_REQUEST,
        "ApplicationUpdate",
        decode_callback=decode_application_update,
        has_response=False,
    ),
)
