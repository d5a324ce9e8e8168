"""Serial API function table: ids, request encoders and payload decoders (pure, no I/O)."""

from __future__ import annotations

from typing import Any

from ..errors import DecodeError
from ..frame import Frame, FrameType
from . import application, capability, network, nvm, transmit
from .application import (
    ApplicationCommand,
    ApplicationUpdate,
    NodeInfoUpdate,
    UpdateType,
    decode_nif,
)
from .capability import (
    ControllerCapabilities,
    ControllerId,
    ControllerVersion,
    InitData,
    ProtocolVersion,
    SerialApiCapabilities,
    SerialApiStarted,
    SerialApiTimeouts,
    SetupCommand,
    SetupResponse,
    WakeUpReason,
    decode_supported_setup_commands,
)
from .functions import FunctionDef, FunctionType
from .network import (
    ADD_NODE_FLAG_HIGH_POWER,
    ADD_NODE_FLAG_NETWORK_WIDE,
    AddNodeMode,
    AddRemoveNodeStatus,
    AddRemoveStatus,
    NeighborUpdateStatus,
    ProtocolInfo,
    RemoveFailedStatus,
    ReplaceFailedStatus,
    SetSucStatus,
    StatusCallback,
)
from .nvm import NvmId, NvmOperation, NvmOperationResult, NvmStatus
from .transmit import DEFAULT_TX_OPTIONS, TransmitStatus, TxOptions, TxReport

FUNCTIONS: dict[int, FunctionDef] = {
    definition.id: definition
    for module in (capability, application, transmit, network, nvm)
    for definition in module.DEFINITIONS
}


def get_function(function_id: int) -> FunctionDef | None:
    """The table entry for ``function_id``, or None if the driver does not know it."""
    return FUNCTIONS.get(function_id)


def function_name(function_id: int) -> str:
    """A readable name for logs ("SendData", or "0x9A" when unknown)."""
    definition = FUNCTIONS.get(function_id)
    if definition is not None:
        return definition.name
    try:
        return FunctionType(function_id).name
    except ValueError:
        return f"0x{function_id:02X}"


def decode_frame(frame: Frame) -> tuple[str, Any | None]:
    """Decode a frame received from the stick: ``(function name, decoded message or None)``.

    Responses use the function's response decoder; requests its callback/unsolicited
    decoder.  Unknown functions and undecodable payloads give ``None`` (never raise).
    """
    name = function_name(frame.function)
    definition = FUNCTIONS.get(frame.function)
    if definition is None:
        return name, None
    decoder = definition.decode_response if frame.type == FrameType.RESPONSE else definition.decode_callback
    if decoder is None:
        return name, None
    try:
        return name, decoder(frame.payload)
    except (DecodeError, ValueError, IndexError):
        return name, None


__all__ = [
    "ADD_NODE_FLAG_HIGH_POWER",
    "ADD_NODE_FLAG_NETWORK_WIDE",
    "DEFAULT_TX_OPTIONS",
    "FUNCTIONS",
    "AddNodeMode",
    "AddRemoveNodeStatus",
    "AddRemoveStatus",
    "ApplicationCommand",
    "ApplicationUpdate",
    "ControllerCapabilities",
    "ControllerId",
    "ControllerVersion",
    "FunctionDef",
    "FunctionType",
    "InitData",
    "NeighborUpdateStatus",
    "NodeInfoUpdate",
    "NvmId",
    "NvmOperation",
    "NvmOperationResult",
    "NvmStatus",
    "ProtocolInfo",
    "ProtocolVersion",
    "RemoveFailedStatus",
    "ReplaceFailedStatus",
    "SerialApiCapabilities",
    "SerialApiStarted",
    "SerialApiTimeouts",
    "SetSucStatus",
    "SetupCommand",
    "SetupResponse",
    "StatusCallback",
    "TransmitStatus",
    "TxOptions",
    "TxReport",
    "UpdateType",
    "WakeUpReason",
    "decode_frame",
    "decode_nif",
    "decode_supported_setup_commands",
    "function_name",
    "get_function",
]
