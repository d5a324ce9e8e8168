"""Serial API function ids and the :class:`FunctionDef` descriptor (protocol-facts §2).

A function is declared as data: its id, how to encode a request payload, how to decode
its Response and its callback (or unsolicited request), whether the transaction engine
must wait for a Response and/or a callback, whether it is a *radio job* (the engine stays
busy until its result arrives, so two radio jobs never overlap), its callback timeout and
its default priority.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

#: Z-Wave JS's callback timeout (``sendDataCallback``), used for every callback unless a
#: function declares its own.
DEFAULT_CALLBACK_TIMEOUT = 30.0


class Priority(IntEnum):
    """Transaction queue priority; lower runs first, FIFO within a level."""

    CONTROLLER = 0
    USER = 1
    POLL = 2
    BACKGROUND = 3
    #: Network heal steps: after everything else, so any other command goes before the next step.
    HEAL = 4


class FunctionType(IntEnum):
    """Serial API function ids (protocol-facts §2), UPPER_SNAKE names."""

    GET_SERIAL_API_INIT_DATA = 0x02
    SET_APPLICATION_NODE_INFORMATION = 0x03
    APPLICATION_COMMAND_HANDLER = 0x04
    GET_CONTROLLER_CAPABILITIES = 0x05
    SET_SERIAL_API_TIMEOUTS = 0x06
    GET_SERIAL_API_CAPABILITIES = 0x07
    SOFT_RESET = 0x08
    GET_PROTOCOL_VERSION = 0x09
    SERIAL_API_STARTED = 0x0A
    SERIAL_API_SETUP = 0x0B
    SET_RF_RECEIVE_MODE = 0x10
    SEND_NODE_INFORMATION = 0x12
    SEND_DATA = 0x13
    SEND_DATA_MULTICAST = 0x14
    GET_CONTROLLER_VERSION = 0x15
    SEND_DATA_ABORT = 0x16
    SET_RF_POWER_LEVEL = 0x17
    GET_RANDOM = 0x1C
    GET_CONTROLLER_ID = 0x20
    MEMORY_GET_BYTE = 0x21
    MEMORY_PUT_BYTE = 0x22
    MEMORY_GET_BUFFER = 0x23
    MEMORY_PUT_BUFFER = 0x24
    ENTER_BOOTLOADER = 0x27
    GET_NVM_ID = 0x29
    EXT_NVM_READ_LONG_BUFFER = 0x2A
    EXT_NVM_WRITE_LONG_BUFFER = 0x2B
    EXT_NVM_READ_LONG_BYTE = 0x2C
    EXT_NVM_WRITE_LONG_BYTE = 0x2D
    NVM_OPERATIONS = 0x2E
    CLEAR_TX_TIMERS = 0x37
    GET_TX_TIMERS = 0x38
    CLEAR_NETWORK_STATS = 0x39
    GET_NETWORK_STATS = 0x3A
    GET_BACKGROUND_RSSI = 0x3B
    SET_LISTEN_BEFORE_TALK_THRESHOLD = 0x3C
    EXTENDED_NVM_OPERATIONS = 0x3D
    REMOVE_SPECIFIC_NODE_ID_FROM_NETWORK = 0x3F
    GET_NODE_PROTOCOL_INFO = 0x41
    HARD_RESET = 0x42
    ASSIGN_RETURN_ROUTE = 0x46
    DELETE_RETURN_ROUTE = 0x47
    REQUEST_NODE_NEIGHBOR_UPDATE = 0x48
    APPLICATION_UPDATE_REQUEST = 0x49
    ADD_NODE_TO_NETWORK = 0x4A
    REMOVE_NODE_FROM_NETWORK = 0x4B
    ADD_CONTROLLER_AND_ASSIGN_PRIMARY = 0x4C
    ADD_PRIMARY_CONTROLLER = 0x4D
    ASSIGN_PRIORITY_RETURN_ROUTE = 0x4F
    SET_LEARN_MODE = 0x50
    ASSIGN_SUC_RETURN_ROUTE = 0x51
    ENABLE_SUC = 0x52
    REQUEST_NETWORK_UPDATE = 0x53
    SET_SUC_NODE_ID = 0x54
    DELETE_SUC_RETURN_ROUTE = 0x55
    GET_SUC_NODE_ID = 0x56
    SEND_SUC_NODE_ID = 0x57
    ASSIGN_PRIORITY_SUC_RETURN_ROUTE = 0x58
    REQUEST_NODE_NEIGHBOR_UPDATE_OPTIONS = 0x5A
    EXPLORE_REQUEST_INCLUSION = 0x5E
    EXPLORE_REQUEST_EXCLUSION = 0x5F
    REQUEST_NODE_INFO = 0x60
    REMOVE_FAILED_NODE = 0x61
    IS_FAILED_NODE = 0x62
    REPLACE_FAILED_NODE = 0x63
    REQUEST_PROTOCOL_CC_ENCRYPTION = 0x68
    FIRMWARE_UPDATE_NVM = 0x78
    GET_ROUTING_INFO = 0x80
    LOCK_UNLOCK_LAST_ROUTE = 0x90
    GET_PRIORITY_ROUTE = 0x92
    SET_PRIORITY_ROUTE = 0x93
    VIRTUAL_NODE_SET_NODE_INFO = 0xA0
    VIRTUAL_NODE_SEND_NODE_INFO = 0xA2
    VIRTUAL_NODE_SET_LEARN_MODE = 0xA4
    GET_VIRTUAL_NODES = 0xA5
    IS_VIRTUAL_NODE = 0xA6
    BRIDGE_APPLICATION_COMMAND_HANDLER = 0xA8
    SEND_DATA_BRIDGE = 0xA9
    SEND_DATA_MULTICAST_BRIDGE = 0xAB
    ENABLE_WATCHDOG_500 = 0xB6
    DISABLE_WATCHDOG_500 = 0xB7
    KICK_WATCHDOG_500 = 0xB8
    GET_LIBRARY = 0xBD
    SEND_TEST_FRAME = 0xBE
    GET_PROTOCOL_STATUS = 0xBF
    SET_PROMISCUOUS_MODE = 0xD0
    START_WATCHDOG = 0xD2
    STOP_WATCHDOG = 0xD3
    SET_MAXIMUM_ROUTING_ATTEMPTS = 0xD4
    SET_MAX_SMART_START_INCLUSION_REQUEST_INTERVAL = 0xD6
    SHUTDOWN = 0xD9
    GET_LONG_RANGE_NODES = 0xDA
    GET_LONG_RANGE_CHANNEL = 0xDB
    SET_LONG_RANGE_CHANNEL = 0xDC
    SET_LONG_RANGE_SHADOW_NODE_IDS = 0xDD


Encoder = Callable[..., bytes]
Decoder = Callable[[bytes], Any]


def _empty() -> bytes:
    return b""


@dataclass(frozen=True, slots=True)
class FunctionDef:
    """How one Serial API function is encoded, decoded and transacted.

    * ``encode_request(*args)`` returns the request payload.  When ``has_callback`` the
      engine appends the callback id as the last byte, unless ``callback_id_last`` is
      False, in which case the encoder is called as ``encode_request(*args, callback_id=n)``.
    * ``decode_response(payload)`` decodes a Response frame's payload.
    * ``decode_callback(payload)`` decodes a callback or unsolicited request payload
      (for callbacks byte 0 is the callback id).
    * ``response_ok(decoded)`` False means a negative response (``CommandFailed``, or
      ``JobRefused`` when ``retry_refused``: the stick's queue is full, retried after a
      short back-off).
    * ``callback_final(decoded)`` False means "progress report, keep waiting".
    * ``radio_job``: the result comes later over the radio; the engine runs no other
      transaction until it arrives or times out (Z-Wave JS's rule: real firmware keeps one
      callback id per function, so an overlapped or abandoned job's result would be
      reported under the next job's id).
    * ``callback_functions``: other function ids whose requests also count as this job's
      callback (AssignSUCReturnRoute's callback can come back as 0x55 on real firmware;
      RequestNodeInfo's result is an ApplicationUpdate 0x49).
    * ``callback_match(request, decoded)``: for a callback without a callback id, whether a
      decoded frame is this job's result given the request payload (RequestNodeInfo: the NIF of the node asked, or
      "request failed").
    * ``callback_optional``: a missing callback ends the transaction without an error
      (SoftReset waits for SerialAPIStarted, which 500-series sticks never send).
    * ``final_for_request(request, decoded)``: like ``callback_final`` when what ends the
      transaction depends on the request (AddNodeToNetwork: an add mode streams Ready,
      NodeFound, Adding… and ends at ProtocolDone; Stop ends at Done).  Earlier callbacks of
      the stream go to the caller's ``on_progress``.
    """

    id: FunctionType
    name: str
    encode_request: Encoder = _empty
    decode_response: Decoder | None = None
    decode_callback: Decoder | None = None
    has_response: bool = True
    has_callback: bool = False
    response_ok: Callable[[Any], bool] | None = None
    callback_final: Callable[[Any], bool] | None = None
    callback_id_last: bool = True
    priority: Priority = Priority.CONTROLLER
    radio_job: bool = False
    callback_timeout: float | None = None
    retry_refused: bool = False
    callback_functions: frozenset[int] = frozenset()
    callback_match: Callable[[bytes, Any], bool] | None = None
    callback_optional: bool = False
    final_for_request: Callable[[bytes, Any], bool] | None = None

    @property
    def callback_has_id(self) -> bool:
        """True when the callback carries the request's callback id (byte 0)."""
        return self.has_callback and self.callback_match is None

    def build_request(
        self, args: tuple[Any, ...], callback_id: int = 0, kwargs: dict[str, Any] | None = None
    ) -> bytes:
        """The full request payload for ``args``/``kwargs``; ``callback_id`` is used if the
        callback carries an id.  A callback id of 0 asks the stick not to send a callback.
        """
        kwargs = kwargs or {}
        if not self.callback_has_id:
            return self.encode_request(*args, **kwargs)
        if self.callback_id_last:
            return self.encode_request(*args, **kwargs) + bytes((callback_id & 0xFF,))
        return self.encode_request(*args, callback_id=callback_id & 0xFF, **kwargs)
