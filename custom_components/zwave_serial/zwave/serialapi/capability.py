"""Controller identity, capability and configuration functions (protocol-facts §2.1, §2.2)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

from ..errors import MessageDecodeError
from ._util import encode_cc_list, parse_cc_list, parse_node_bitmask, require, u16
from .functions import FunctionDef, FunctionType

CHIP_NAMES: dict[tuple[int, int], str] = {
    (0x01, 0x02): "ZW0102",
    (0x02, 0x01): "ZW0201",
    (0x03, 0x01): "ZW0301",
    (0x04, 0x01): "ZM0401 / ZM4102 / SD3402",
    (0x05, 0x00): "ZW050x",
    (0x07, 0x00): "EFR32ZG14 / ZGM130S",
    (0x08, 0x00): "EFR32ZG23 / ZGM230S",
}


@dataclass(frozen=True, slots=True)
class InitData:
    """GetSerialApiInitData (0x02) response."""

    api_version: int
    is_end_node: bool
    supports_timers: bool
    is_secondary: bool
    is_sis: bool
    node_ids: list[int]
    chip_type: int | None
    chip_version: int | None

    @property
    def chip_name(self) -> str | None:
        """Human-readable chip name, if known."""
        if self.chip_type is None or self.chip_version is None:
            return None
        return CHIP_NAMES.get(
            (self.chip_type, self.chip_version), f"unknown 0x{self.chip_type:02X}{self.chip_version:02X}"
        )


def decode_init_data(payload: bytes) -> InitData:
    require(payload, 3, "GetSerialApiInitData")
    length = payload[2]
    require(payload, 3 + length, "GetSerialApiInitData node list")
    caps = payload[1]
    chip = payload[3 + length : 3 + length + 2]
    return InitData(
        api_version=payload[0],
        is_end_node=bool(caps & 0x01),
        supports_timers=bool(caps & 0x02),
        is_secondary=bool(caps & 0x04),
        is_sis=bool(caps & 0x08),
        node_ids=parse_node_bitmask(payload[3 : 3 + length]),
        chip_type=chip[0] if len(chip) == 2 else None,
        chip_version=chip[1] if len(chip) == 2 else None,
    )


@dataclass(frozen=True, slots=True)
class ControllerCapabilities:
    """GetControllerCapabilities (0x05) response flags."""

    is_secondary: bool
    on_other_network: bool
    sis_present: bool
    was_real_primary: bool
    is_suc: bool
    no_nodes_included: bool
    raw: int

    @property
    def flags(self) -> int:
        """Alias of ``raw``: the capability flag byte."""
        return self.raw


def decode_controller_capabilities(payload: bytes) -> ControllerCapabilities:
    require(payload, 1, "GetControllerCapabilities")
    flags = payload[0]
    return ControllerCapabilities(
        is_secondary=bool(flags & 0x01),
        on_other_network=bool(flags & 0x02),
        sis_present=bool(flags & 0x04),
        was_real_primary=bool(flags & 0x08),
        is_suc=bool(flags & 0x10),
        no_nodes_included=bool(flags & 0x20),
        raw=flags,
    )


@dataclass(frozen=True, slots=True)
class SerialApiTimeouts:
    """SetSerialApiTimeouts (0x06) response: the previous values, in milliseconds."""

    ack_timeout_ms: int
    byte_timeout_ms: int


def encode_set_timeouts(ack_timeout_ms: int, byte_timeout_ms: int) -> bytes:
    """Timeouts are sent in units of 10 ms (one byte each)."""
    return bytes((min(255, max(0, ack_timeout_ms // 10)), min(255, max(0, byte_timeout_ms // 10))))


def decode_timeouts(payload: bytes) -> SerialApiTimeouts:
    require(payload, 2, "SetSerialApiTimeouts")
    return SerialApiTimeouts(payload[0] * 10, payload[1] * 10)


@dataclass(frozen=True, slots=True)
class SerialApiCapabilities:
    """GetSerialApiCapabilities (0x07) response."""

    firmware_version: str
    manufacturer_id: int
    product_type: int
    product_id: int
    supported_functions: set[int]

    def supports(self, function: int) -> bool:
        """True if the stick lists ``function`` as supported."""
        return function in self.supported_functions


def decode_serial_api_capabilities(payload: bytes) -> SerialApiCapabilities:
    require(payload, 8, "GetSerialApiCapabilities")
    return SerialApiCapabilities(
        firmware_version=f"{payload[0]}.{payload[1]}",
        manufacturer_id=u16(payload, 2),
        product_type=u16(payload, 4),
        product_id=u16(payload, 6),
        supported_functions=set(parse_node_bitmask(payload[8:])),
    )


#: GetProtocolVersion protocol type -> name.
PROTOCOL_TYPES: dict[int, str] = {0: "Z-Wave", 1: "Z-Wave AV", 2: "Z-Wave for IP"}


@dataclass(frozen=True, slots=True)
class ProtocolVersion:
    """GetProtocolVersion (0x09) response."""

    protocol_type: int
    major: int
    minor: int
    patch: int
    app_framework_build: int | None
    git_hash: str | None

    @property
    def version(self) -> str:
        """``"major.minor.patch"``."""
        return f"{self.major}.{self.minor}.{self.patch}"


def decode_protocol_version(payload: bytes) -> ProtocolVersion:
    require(payload, 4, "GetProtocolVersion")
    build = u16(payload, 4) if len(payload) >= 6 else None
    git = payload[6:22].hex() if len(payload) >= 22 else None
    return ProtocolVersion(payload[0], payload[1], payload[2], payload[3], build, git)


class WakeUpReason(IntEnum):
    """Why the stick (re)started (SerialAPIStarted)."""

    RESET = 0
    WUT_TIMER = 1
    BEAM = 2
    WATCHDOG_RESET = 3
    EXTERNAL_INTERRUPT = 4
    POWER_UP = 5
    USB_SUSPEND = 6
    SOFTWARE_RESET = 7
    EMERGENCY_WATCHDOG = 8
    BROWN_OUT = 9
    UNKNOWN = 0xFF


@dataclass(frozen=True, slots=True)
class SerialApiStarted:
    """SerialAPIStarted (0x0A) unsolicited request."""

    wake_up_reason: int
    watchdog_started: bool
    is_listening: bool
    generic: int
    specific: int
    supported_ccs: list[int]
    supports_long_range: bool | None


def decode_serial_api_started(payload: bytes) -> SerialApiStarted:
    require(payload, 6, "SerialAPIStarted")
    cc_len = payload[5]
    require(payload, 6 + cc_len, "SerialAPIStarted CC list")
    supported, _ = parse_cc_list(payload[6 : 6 + cc_len])
    rest = payload[6 + cc_len :]
    return SerialApiStarted(
        wake_up_reason=payload[0],
        watchdog_started=bool(payload[1]),
        is_listening=bool(payload[2] & 0x80),
        generic=payload[3],
        specific=payload[4],
        supported_ccs=supported,
        supports_long_range=bool(rest[0] & 0x01) if rest else None,
    )


class SetupCommand(IntEnum):
    """SerialAPISetup (0x0B) sub-commands."""

    UNSUPPORTED = 0x00
    GET_SUPPORTED_COMMANDS = 0x01
    SET_TX_STATUS_REPORT = 0x02
    SET_LR_MAX_TX_POWER = 0x03
    SET_POWERLEVEL = 0x04
    GET_LR_MAX_TX_POWER = 0x05
    GET_POWERLEVEL = 0x08
    GET_MAX_PAYLOAD_SIZE = 0x10
    GET_LR_MAX_PAYLOAD_SIZE = 0x11
    SET_POWERLEVEL_16BIT = 0x12
    GET_POWERLEVEL_16BIT = 0x13
    GET_SUPPORTED_REGIONS = 0x15
    GET_REGION_INFO = 0x16
    GET_RF_REGION = 0x20
    SET_RF_REGION = 0x40
    SET_NODE_ID_TYPE = 0x80


_SETUP_SET_COMMANDS = frozenset({0x02, 0x03, 0x04, 0x12, 0x40, 0x80})


@dataclass(frozen=True, slots=True)
class SetupResponse:
    """SerialAPISetup (0x0B) response: the echoed sub-command and its result bytes."""

    subcommand: int
    payload: bytes

    @property
    def supported(self) -> bool:
        """False when the stick answered sub-command 0x00 ("unsupported")."""
        return self.subcommand != SetupCommand.UNSUPPORTED

    @property
    def success(self) -> bool:
        """For set-type sub-commands: the result byte is non-zero."""
        return self.supported and bool(self.payload) and self.payload[0] != 0


def encode_setup(subcommand: int, args: bytes = b"") -> bytes:
    return bytes((subcommand,)) + bytes(args)


def decode_setup(payload: bytes) -> SetupResponse:
    require(payload, 1, "SerialAPISetup")
    return SetupResponse(payload[0], bytes(payload[1:]))


def setup_response_ok(response: SetupResponse) -> bool:
    """Negative when unsupported, or when a set-type sub-command reports failure."""
    if not response.supported:
        return False
    return response.success if response.subcommand in _SETUP_SET_COMMANDS else True


def decode_supported_setup_commands(response: SetupResponse, *, sdk_before_7_19_1: bool = False) -> set[int]:
    """Sub-commands listed by a GetSupportedCommands response (legacy or extended mask)."""
    data = response.payload
    if not data:
        raise MessageDecodeError("SerialAPISetup GetSupportedCommands: empty result")
    if len(data) > 1:
        start = 0 if sdk_before_7_19_1 else 1
        result = set(parse_node_bitmask(data[1:], start=start))
    else:
        result = {1 << bit for bit in range(8) if data[0] & (1 << bit)}
    result.add(SetupCommand.GET_SUPPORTED_COMMANDS)
    return result


class LibraryType(IntEnum):
    """Z-Wave library type (GetControllerVersion, Version CC Report)."""

    UNKNOWN = 0
    STATIC_CONTROLLER = 1
    CONTROLLER = 2
    ENHANCED_END_NODE = 3
    END_NODE = 4
    INSTALLER = 5
    ROUTING_END_NODE = 6
    BRIDGE_CONTROLLER = 7
    DEVICE_UNDER_TEST = 8
    NOT_APPLICABLE = 9
    AV_REMOTE = 10
    AV_DEVICE = 11


@dataclass(frozen=True, slots=True)
class ControllerVersion:
    """GetControllerVersion (0x15) response."""

    library_version: str
    library_type: int


def decode_controller_version(payload: bytes) -> ControllerVersion:
    end = payload.find(b"\x00")
    if end < 0 or end + 1 >= len(payload):
        raise MessageDecodeError("GetControllerVersion: missing NUL terminator or library type")
    return ControllerVersion(payload[:end].decode("ascii", errors="replace"), payload[end + 1])


@dataclass(frozen=True, slots=True)
class ControllerId:
    """GetControllerId (0x20) response."""

    home_id: int
    node_id: int

    @property
    def own_node_id(self) -> int:
        """Alias of ``node_id``: the controller's own node id."""
        return self.node_id


def decode_controller_id(payload: bytes) -> ControllerId:
    """``[homeId u32][nodeId]`` (node id is 2 bytes in 16-bit node-id mode)."""
    require(payload, 5, "GetControllerId")
    node = payload[4] if len(payload) == 5 else u16(payload, 4)
    return ControllerId(int.from_bytes(payload[0:4], "big"), node)


def encode_application_node_information(
    listening: bool, generic: int, specific: int, ccs: Sequence[int]
) -> bytes:
    cc_bytes = encode_cc_list(ccs)
    if len(cc_bytes) > 35:
        raise ValueError("at most 35 bytes of command classes fit in the node information")
    return bytes((0x01 if listening else 0x00, generic, specific, len(cc_bytes))) + cc_bytes


def decode_bool(payload: bytes) -> bool:
    """A one-byte "success / accepted / sent" result."""
    require(payload, 1, "boolean result")
    return payload[0] != 0


def decode_callback_id(payload: bytes) -> int:
    require(payload, 1, "callback")
    return payload[0]


def _is_true(value: bool) -> bool:
    return bool(value)


DEFINITIONS: tuple[FunctionDef, ...] = (
    FunctionDef(
        FunctionType.GET_SERIAL_API_INIT_DATA, "GetSerialApiInitData", decode_response=decode_init_data
    ),
    FunctionDef(
        FunctionType.SET_APPLICATION_NODE_INFORMATION,
        "SetApplicationNodeInformation",
        encode_request=encode_application_node_information,
        has_response=False,
    ),
    FunctionDef(
        FunctionType.GET_CONTROLLER_CAPABILITIES,
        "GetControllerCapabilities",
        decode_response=decode_controller_capabilities,
    ),
    FunctionDef(
        FunctionType.SET_SERIAL_API_TIMEOUTS,
        "SetSerialApiTimeouts",
        encode_request=encode_set_timeouts,
        decode_response=decode_timeouts,
    ),
    FunctionDef(
        FunctionType.GET_SERIAL_API_CAPABILITIES,
        "GetSerialApiCapabilities",
        decode_response=decode_serial_api_capabilities,
    ),
    # No Response; the stick restarts and (700/800 series) announces itself with
    # SerialAPIStarted, taken as this transaction's result (500 series: none, no error).
    FunctionDef(
        FunctionType.SOFT_RESET,
        "SoftReset",
        has_response=False,
        has_callback=True,
        callback_functions=frozenset({FunctionType.SERIAL_API_STARTED}),
        callback_match=lambda _request, _started: True,
        callback_optional=True,
    ),
    FunctionDef(
        FunctionType.GET_PROTOCOL_VERSION, "GetProtocolVersion", decode_response=decode_protocol_version
    ),
    FunctionDef(
        FunctionType.SERIAL_API_STARTED,
        "SerialAPIStarted",
        decode_callback=decode_serial_api_started,
        has_response=False,
    ),
    FunctionDef(
        FunctionType.SERIAL_API_SETUP,
        "SerialAPISetup",
        encode_request=encode_setup,
        decode_response=decode_setup,
        response_ok=setup_response_ok,
    ),
    FunctionDef(
        FunctionType.SET_RF_RECEIVE_MODE,
        "SetRFReceiveMode",
        encode_request=lambda enabled: bytes((0x01 if enabled else 0x00,)),
        decode_response=decode_bool,
        response_ok=_is_true,
    ),
    FunctionDef(
        FunctionType.GET_CONTROLLER_VERSION, "GetControllerVersion", decode_response=decode_controller_version
    ),
    FunctionDef(FunctionType.GET_CONTROLLER_ID, "GetControllerId", decode_response=decode_controller_id),
    FunctionDef(
        FunctionType.HARD_RESET,
        "HardReset",
        decode_callback=decode_callback_id,
        has_response=False,
        has_callback=True,
    ),
)
