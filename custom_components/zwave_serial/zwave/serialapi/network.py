"""Network-management functions: node info, SUC, failed nodes, inclusion callbacks (§2.5)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from ._util import parse_node_bitmask, require
from .application import ApplicationUpdate, NodeInfoUpdate, UpdateType, decode_nif
from .capability import decode_bool
from .functions import FunctionDef, FunctionType, Priority
from .transmit import DEFAULT_TX_OPTIONS


@dataclass(frozen=True, slots=True)
class ProtocolInfo:
    """GetNodeProtocolInfo (0x41) response."""

    listening: bool
    frequent_listening: int | None  # 250 or 1000 (ms wake-up beam), None if not FLiRS
    routing: bool
    beaming: bool
    is_controller: bool
    is_routing_end_node: bool
    security: bool
    optional_functionality: bool
    protocol_version: int
    basic: int
    generic: int
    specific: int | None
    speeds: tuple[int, ...]  # supported data rates in bit/s


def decode_protocol_info(payload: bytes) -> ProtocolInfo:
    require(payload, 5, "GetNodeProtocolInfo")
    cap, sec, ext = payload[0], payload[1], payload[2]
    flirs = (sec >> 5) & 0x03
    speeds = []
    if cap & 0x08:
        speeds.append(9600)
    if cap & 0x10:
        speeds.append(40000)
    if ext & 0x01:
        speeds.append(100000)
    has_specific = bool(sec & 0x04)
    return ProtocolInfo(
        listening=bool(cap & 0x80),
        frequent_listening=1000 if flirs == 0b10 else 250 if flirs == 0b01 else None,
        routing=bool(cap & 0x40),
        beaming=bool(sec & 0x10),
        is_controller=(sec & 0x0A) == 0x02,
        is_routing_end_node=bool(sec & 0x08),
        security=bool(sec & 0x01),
        optional_functionality=bool(sec & 0x80),
        protocol_version=cap & 0x07,
        basic=payload[3],
        generic=payload[4],
        specific=payload[5] if has_specific and len(payload) > 5 else None,
        speeds=tuple(speeds),
    )


@dataclass(frozen=True, slots=True)
class StatusCallback:
    """A callback of the common shape ``[callbackId][status]``."""

    callback_id: int
    status: int


def decode_status_callback(payload: bytes) -> StatusCallback:
    require(payload, 2, "status callback")
    return StatusCallback(payload[0], payload[1])


class NeighborUpdateStatus(IntEnum):
    """RequestNodeNeighborUpdate (0x48) callback status."""

    STARTED = 0x21
    DONE = 0x22
    FAILED = 0x23


class SetSucStatus(IntEnum):
    """SetSUCNodeId (0x54) callback status."""

    SUCCEEDED = 0x05
    FAILED = 0x06


class RemoveFailedStatus(IntEnum):
    """RemoveFailedNode (0x61) callback status."""

    NODE_OK = 0x00
    REMOVED = 0x01
    NOT_REMOVED = 0x02


class ReplaceFailedStatus(IntEnum):
    """ReplaceFailedNode (0x63) callback status."""

    NODE_OK = 0x00
    READY_TO_REPLACE = 0x03
    REPLACE_DONE = 0x04
    REPLACE_FAILED = 0x05


class AddRemoveStatus(IntEnum):
    """AddNodeToNetwork (0x4A) / RemoveNodeFromNetwork (0x4B) callback status."""

    READY = 0x01
    NODE_FOUND = 0x02
    ADDING_REMOVING_END_NODE = 0x03
    ADDING_REMOVING_CONTROLLER = 0x04
    PROTOCOL_DONE = 0x05
    DONE = 0x06
    FAILED = 0x07


class AddNodeMode(IntEnum):
    """AddNodeToNetwork / RemoveNodeFromNetwork modes (OR with the flags below)."""

    ANY = 0x01
    CONTROLLER = 0x02
    END_NODE = 0x03
    EXISTING = 0x04
    STOP = 0x05
    STOP_CONTROLLER_REPLICATION = 0x06
    SMART_START_DSK = 0x08
    SMART_START_LISTEN = 0x09


ADD_NODE_FLAG_HIGH_POWER = 0x80
ADD_NODE_FLAG_NETWORK_WIDE = 0x40
ADD_NODE_FLAG_LONG_RANGE = 0x20
#: RemoveNodeFromNetwork status 0x05: reserved; Z-Wave JS ends the exclusion on it (not removed).
REMOVE_NODE_STATUS_RESERVED = 0x05


@dataclass(frozen=True, slots=True)
class AddRemoveNodeStatus:
    """An AddNodeToNetwork / RemoveNodeFromNetwork callback."""

    callback_id: int
    status: int
    node_id: int | None = None
    node_info: NodeInfoUpdate | None = None


def decode_add_remove_callback(payload: bytes) -> AddRemoveNodeStatus:
    require(payload, 2, "Add/RemoveNode callback")
    callback_id, status, body = payload[0], payload[1], bytes(payload[2:])
    node_info = None
    if status in (3, 4) and len(body) >= 5 and body[1] >= 3:
        node_info = decode_nif(body, "Add/RemoveNode NIF")
    node_id = body[0] if body else None
    return AddRemoveNodeStatus(callback_id, status, node_id, node_info)


def add_remove_final(callback: AddRemoveNodeStatus) -> bool:
    """Done and Failed end an add/remove transaction."""
    return callback.status in (AddRemoveStatus.DONE, AddRemoveStatus.FAILED)


_STOP_MODES = (AddNodeMode.STOP, AddNodeMode.STOP_CONTROLLER_REPLICATION)


def add_node_final(request: bytes, callback: AddRemoveNodeStatus) -> bool:
    """AddNodeToNetwork's stream (protocol-facts §2.5): an add mode (Any, SmartStart DSK...)
    reports Ready, NodeFound, Adding… (progress) and ends at ProtocolDone; Stop ends at Done;
    Failed ends either."""
    if callback.status == AddRemoveStatus.FAILED:
        return True
    if request and request[0] & 0x0F in _STOP_MODES:
        return callback.status == AddRemoveStatus.DONE
    return callback.status in (AddRemoveStatus.PROTOCOL_DONE, AddRemoveStatus.DONE)


def remove_node_final(request: bytes, callback: AddRemoveNodeStatus) -> bool:
    """RemoveNodeFromNetwork: Ready, NodeFound, Removing… (progress), then Done (or the
    reserved 0x05, or Failed)."""
    return callback.status in (AddRemoveStatus.DONE, AddRemoveStatus.FAILED, REMOVE_NODE_STATUS_RESERVED)


def encode_add_node(
    mode: int, nwi_home_id: int | None = None, auth_home_id: int | None = None, *, callback_id: int
) -> bytes:
    """``[mode|flags][callbackId]`` (+ ``[NWI home ID 4][auth home ID 4]`` for SmartStart DSK)."""
    if not 0 <= mode <= 0xFF:
        raise ValueError(f"add node mode {mode} out of range")
    out = bytes((mode, callback_id))
    if mode & 0x0F == AddNodeMode.SMART_START_DSK:
        if nwi_home_id is None or auth_home_id is None:
            raise ValueError("SmartStart inclusion needs the NWI and auth home IDs")
        out += nwi_home_id.to_bytes(4, "big") + auth_home_id.to_bytes(4, "big")
    return out


def encode_remove_node(mode: int) -> bytes:
    if not 0 <= mode <= 0xFF:
        raise ValueError(f"remove node mode {mode} out of range")
    return bytes((mode,))


def _node(node_id: int) -> bytes:
    if not 1 <= node_id <= 0xFF:
        raise ValueError(f"node id {node_id} out of range")
    return bytes((node_id,))


def encode_set_suc_node_id(
    node_id: int, enable_suc: bool = True, enable_sis: bool = True, tx_options: int = DEFAULT_TX_OPTIONS
) -> bytes:
    return _node(node_id) + bytes((int(enable_suc), tx_options, int(enable_sis)))


def encode_get_routing_info(
    node_id: int, remove_bad_links: bool = False, remove_non_repeaters: bool = False
) -> bytes:
    options = (0x80 if remove_bad_links else 0) | (0x40 if remove_non_repeaters else 0)
    return _node(node_id) + bytes((options, 0x00))


def decode_routing_info(payload: bytes) -> list[int]:
    require(payload, 29, "GetRoutingInfo")
    return parse_node_bitmask(payload[:29])


def decode_u8(payload: bytes) -> int:
    require(payload, 1, "one-byte result")
    return payload[0]


def _is_true(value: bool) -> bool:
    return bool(value)


def _is_zero(value: int) -> bool:
    return value == 0


def node_info_answers(request: bytes, update: ApplicationUpdate) -> bool:
    """RequestNodeInfo's result: the asked node's NIF, or "request failed" (node id 0)."""
    kind = getattr(update, "update_type", None)
    if kind == UpdateType.NODE_INFO_REQUEST_FAILED:
        return True
    return kind == UpdateType.NODE_INFO_RECEIVED and bool(request) and update.node_id == request[0]


#: AssignSUCReturnRoute, DeleteSUCReturnRoute and RequestNetworkUpdate share one callback
#: id in the firmware, which also reports the function of the last one started.
_SUC_ROUTE_FUNCTIONS = frozenset({FunctionType.ASSIGN_SUC_RETURN_ROUTE, FunctionType.DELETE_SUC_RETURN_ROUTE})


def _route_def(fid: FunctionType, name: str, encoder, callback_functions: frozenset[int] = frozenset()) -> FunctionDef:
    return FunctionDef(
        fid,
        name,
        encode_request=encoder,
        decode_response=decode_bool,
        decode_callback=decode_status_callback,
        has_callback=True,
        response_ok=_is_true,
        priority=Priority.BACKGROUND,
        radio_job=True,
        callback_functions=callback_functions - {fid},
    )


DEFINITIONS: tuple[FunctionDef, ...] = (
    FunctionDef(
        FunctionType.GET_NODE_PROTOCOL_INFO,
        "GetNodeProtocolInfo",
        encode_request=_node,
        decode_response=decode_protocol_info,
    ),
    FunctionDef(FunctionType.GET_SUC_NODE_ID, "GetSUCNodeId", decode_response=decode_u8),
    FunctionDef(
        FunctionType.SET_SUC_NODE_ID,
        "SetSUCNodeId",
        encode_request=encode_set_suc_node_id,
        decode_response=decode_bool,
        decode_callback=decode_status_callback,
        has_callback=True,
        response_ok=_is_true,
        radio_job=True,
    ),
    FunctionDef(
        FunctionType.REQUEST_NODE_INFO,
        "RequestNodeInfo",
        encode_request=_node,
        decode_response=decode_bool,
        response_ok=_is_true,
        # No callback id: the result is the node's ApplicationUpdate (NIF, or request failed).
        has_callback=True,
        callback_functions=frozenset({FunctionType.APPLICATION_UPDATE_REQUEST}),
        callback_match=node_info_answers,
        priority=Priority.BACKGROUND,
        radio_job=True,
        retry_refused=True,
    ),
    FunctionDef(
        FunctionType.REMOVE_FAILED_NODE,
        "RemoveFailedNode",
        encode_request=_node,
        decode_response=decode_u8,
        decode_callback=decode_status_callback,
        has_callback=True,
        response_ok=_is_zero,
        radio_job=True,
    ),
    FunctionDef(
        FunctionType.REPLACE_FAILED_NODE,
        "ReplaceFailedNode",
        encode_request=_node,
        decode_response=decode_u8,
        decode_callback=decode_status_callback,
        has_callback=True,
        response_ok=_is_zero,
        callback_final=lambda cb: cb.status != ReplaceFailedStatus.READY_TO_REPLACE,
        radio_job=True,
    ),
    FunctionDef(
        FunctionType.IS_FAILED_NODE, "IsFailedNode", encode_request=_node, decode_response=decode_bool
    ),
    FunctionDef(
        FunctionType.REQUEST_NODE_NEIGHBOR_UPDATE,
        "RequestNodeNeighborUpdate",
        encode_request=_node,
        decode_callback=decode_status_callback,
        has_response=False,
        has_callback=True,
        callback_final=lambda cb: cb.status != NeighborUpdateStatus.STARTED,
        priority=Priority.BACKGROUND,
        radio_job=True,
    ),
    # A stream of callbacks under one callback id; the inclusion controller runs the
    # sequence (add mode, Stop, Stop without callback) inside one radio lease.
    FunctionDef(
        FunctionType.ADD_NODE_TO_NETWORK,
        "AddNodeToNetwork",
        encode_request=encode_add_node,
        decode_callback=decode_add_remove_callback,
        has_response=False,
        has_callback=True,
        callback_id_last=False,
        final_for_request=add_node_final,
        radio_job=True,
    ),
    FunctionDef(
        FunctionType.REMOVE_NODE_FROM_NETWORK,
        "RemoveNodeFromNetwork",
        encode_request=encode_remove_node,
        decode_callback=decode_add_remove_callback,
        has_response=False,
        has_callback=True,
        final_for_request=remove_node_final,
        radio_job=True,
    ),
    _route_def(
        FunctionType.ASSIGN_RETURN_ROUTE,
        "AssignReturnRoute",
        lambda node_id, destination_id: _node(node_id) + _node(destination_id),
    ),
    _route_def(FunctionType.DELETE_RETURN_ROUTE, "DeleteReturnRoute", _node),
    _route_def(FunctionType.ASSIGN_SUC_RETURN_ROUTE, "AssignSUCReturnRoute", _node, _SUC_ROUTE_FUNCTIONS),
    _route_def(FunctionType.DELETE_SUC_RETURN_ROUTE, "DeleteSUCReturnRoute", _node, _SUC_ROUTE_FUNCTIONS),
    FunctionDef(
        FunctionType.GET_ROUTING_INFO,
        "GetRoutingInfo",
        encode_request=encode_get_routing_info,
        decode_response=decode_routing_info,
    ),
)
