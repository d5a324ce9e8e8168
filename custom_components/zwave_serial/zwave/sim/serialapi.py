"""Serial API function handlers of the virtual stick (protocol-facts §2).

Each handler gets the request payload, may answer with a Response immediately and may
schedule callbacks / unsolicited requests.  Unknown functions are ACKed by the link and
otherwise ignored (logged), like a real stick.  This module holds the functions answered
synchronously; the radio jobs live in :mod:`.transmit` and :mod:`.network` (queued and called
back as described in :mod:`.jobs`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..frame import Frame
from .ccutil import bitmask, u16
from .inclusion import InclusionFunctions
from .jobs import CallbackIds
from .network import NetworkFunctions
from .radio import TxResult, tx_report_bytes
from .transmit import TransmitFunctions

if TYPE_CHECKING:
    from .stick import VirtualStick

_LOGGER = logging.getLogger(__name__)

VERSION_STRING = b"Z-Wave 7.19\x00"
LIBRARY_STATIC_CONTROLLER = 0x01
PROTOCOL_VERSION = (7, 19, 1)
FIRMWARE_VERSION = (7, 19)
MANUFACTURER = (0x0000, 0x0004, 0x0004)
API_VERSION = 0x09
CHIP = (0x07, 0x00)
SETUP_SUBCOMMANDS = (0x01, 0x02, 0x04, 0x08, 0x10, 0x11, 0x15, 0x16, 0x20, 0x40, 0x80)


class SerialApi:
    """Dispatches host requests to handler methods."""

    def __init__(self, stick: VirtualStick) -> None:
        self.stick = stick
        self.handlers: dict[int, Callable[[bytes], None]] = {
            0x02: self._get_init_data,
            0x03: self._set_app_node_info,
            0x05: self._get_controller_caps,
            0x06: self._set_timeouts,
            0x07: self._get_api_caps,
            0x08: self._soft_reset,
            0x09: self._get_protocol_version,
            0x0B: self._setup,
            0x10: self._set_rf_receive_mode,
            0x15: self._get_version,
            0x1C: self._get_random,
            0x20: self._get_controller_id,
            0x41: self._get_node_protocol_info,
            0x56: self._get_suc_node_id,
            0x62: self._is_failed_node,
        }
        self.callback_ids = CallbackIds()
        self.transmit = TransmitFunctions(self)
        self.network = NetworkFunctions(self)
        self.inclusion = InclusionFunctions(self)
        self.handlers.update(self.transmit.handlers())
        self.handlers.update(self.network.handlers())
        self.handlers.update(self.inclusion.handlers())
        self.unknown_functions: list[int] = []
        self.calls: list[int] = []
        #: node -> destinations it was given return routes to (0x46; 0x51 records the SUC id)
        self.return_routes: dict[int, set[int]] = {}
        #: nodes holding a return route to the SUC (0x51; removed by 0x55)
        self.suc_return_routes: set[int] = set()
        self.reset_state()

    def reset_state(self) -> None:
        """Volatile state lost on (soft) reset: TX status report, node ID type, callback IDs,
        add / remove mode."""
        self.tx_status_report = False
        self.node_id_type = 1
        self.callback_ids.clear()
        self.inclusion.reset()

    # ------------------------------------------------------------------ plumbing
    def handle(self, frame: Frame) -> None:
        """Handle one ACKed host frame."""
        self.calls.append(frame.function)
        if frame.type != 0x00:
            _LOGGER.debug("ignoring response-type frame from host: %r", frame)
            return
        handler = self.handlers.get(frame.function)
        if handler is None:
            self.unknown_functions.append(frame.function)
            _LOGGER.warning("unknown Serial API function 0x%02X (ACKed, no response)", frame.function)
            return
        try:
            handler(frame.payload)
        except IndexError:
            _LOGGER.warning("malformed payload for function 0x%02X: %s", frame.function, frame.payload.hex())

    def respond(self, function: int, payload: bytes) -> None:
        """Queue a Response frame."""
        self.stick.emit(Frame.response(function, payload))

    def request(self, function: int, payload: bytes) -> None:
        """Queue an (unsolicited / callback) Request frame."""
        self.stick.emit(Frame.request(function, payload))

    def node_bytes(self, node_id: int) -> bytes:
        """A node id as 1 or 2 bytes depending on SetNodeIDType."""
        return u16(node_id) if self.node_id_type == 2 else bytes((node_id & 0xFF,))

    def read_node(self, payload: bytes, offset: int = 0) -> tuple[int, int]:
        """Read a node id; return ``(node_id, next offset)``."""
        if self.node_id_type == 2:
            return int.from_bytes(payload[offset : offset + 2], "big"), offset + 2
        return payload[offset], offset + 1

    def node_bitmask(self, ids: list[int] | set[int]) -> bytes:
        """29-byte node bitmask (bit0 of byte0 = node 1)."""
        return bitmask([i for i in ids if 1 <= i <= 232], start=1, length=29)

    # ------------------------------------------------------------------ capabilities
    def _get_init_data(self, payload: bytes) -> None:
        caps = 0x08 if self.stick.suc_node_id == self.stick.own_node_id else 0x00
        ids = [self.stick.own_node_id, *self.stick.nodes]
        self.respond(0x02, bytes((API_VERSION, caps, 29)) + self.node_bitmask(ids) + bytes(CHIP))

    def _set_app_node_info(self, payload: bytes) -> None:
        if len(payload) >= 4:
            self.stick.app_node_info = bytes(payload)

    def _get_controller_caps(self, payload: bytes) -> None:
        flags = 0x08  # was real primary
        if self.stick.suc_node_id:
            flags |= 0x04
        if self.stick.suc_node_id == self.stick.own_node_id:
            flags |= 0x10
        if not self.stick.nodes:
            flags |= 0x20
        self.respond(0x05, bytes((flags,)))

    def _set_timeouts(self, payload: bytes) -> None:
        """SetSerialApiTimeouts ``[ackTimeout][byteTimeout]`` (10 ms units): applied to the link
        until the next reset; RES = the previous values."""
        old = self.stick.link.set_timeouts(max(0.01, payload[0] / 100), max(0.01, payload[1] / 100))
        self.respond(0x06, bytes(min(255, round(t * 100)) for t in old))

    def _get_api_caps(self, payload: bytes) -> None:
        mfr, ptype, pid = MANUFACTURER
        mask = bitmask(list(self.handlers), start=1, length=32)
        self.respond(0x07, bytes(FIRMWARE_VERSION) + u16(mfr) + u16(ptype) + u16(pid) + mask)

    def _soft_reset(self, payload: bytes) -> None:
        self.stick.soft_reset()

    def serial_api_started(self, reason: int) -> None:
        """Emit the unsolicited SerialAPIStarted (0x0A)."""
        info = self.stick.app_node_info
        listening = 0x80 if info[0] & 0x01 else 0x00
        ccs = info[4 : 4 + info[3]]
        self.request(0x0A, bytes((reason, 0, listening, info[1], info[2], len(ccs))) + ccs + b"\x00")

    def _get_protocol_version(self, payload: bytes) -> None:
        self.respond(0x09, bytes((0x00, *PROTOCOL_VERSION)) + u16(0x0123) + bytes(16))

    def _setup(self, payload: bytes) -> None:
        sub = payload[0]
        args = payload[1:]
        if sub == 0x01:
            legacy = 0
            for cmd in SETUP_SUBCOMMANDS:
                if cmd & (cmd - 1) == 0:
                    legacy |= cmd
            # Extended bitmask: bit k => subcommand k+1 (SDK >= 7.19.1 convention).
            self.respond(0x0B, bytes((0x01, legacy)) + bitmask(list(SETUP_SUBCOMMANDS), start=1, length=16))
        elif sub == 0x02:
            self.tx_status_report = args[0] != 0
            self.respond(0x0B, b"\x02\x01")
        elif sub == 0x04:
            self.respond(0x0B, b"\x04\x01")
        elif sub == 0x08:
            self.respond(0x0B, b"\x08\x00\x00")
        elif sub == 0x10:
            self.respond(0x0B, b"\x10\x2e")
        elif sub == 0x11:
            self.respond(0x0B, b"\x11\x00")
        elif sub == 0x15:
            self.respond(0x0B, b"\x15\x03\x00\x01\x02")
        elif sub == 0x16:
            region = args[0] if args else 0
            self.respond(0x0B, bytes((0x16, region, 0x01, 0xFE)))
        elif sub == 0x20:
            self.respond(0x0B, bytes((0x20, self.stick.rf_region)))
        elif sub == 0x40:
            self.stick.rf_region = args[0]
            self.respond(0x0B, b"\x40\x01")
        elif sub == 0x80:
            ok = args and args[0] in (1, 2)
            if ok:
                self.node_id_type = args[0]
            self.respond(0x0B, bytes((0x80, 1 if ok else 0)))
        else:
            self.respond(0x0B, bytes((0x00, sub)))

    def _set_rf_receive_mode(self, payload: bytes) -> None:
        self.stick.rf_on = payload[0] != 0
        self.respond(0x10, b"\x01")

    def _get_version(self, payload: bytes) -> None:
        self.respond(0x15, VERSION_STRING + bytes((LIBRARY_STATIC_CONTROLLER,)))

    def _get_random(self, payload: bytes) -> None:
        count = min(payload[0] if payload else 1, 32)
        self.respond(0x1C, bytes((1, count)) + bytes(self.stick.rng.randrange(256) for _ in range(count)))

    def _get_controller_id(self, payload: bytes) -> None:
        self.respond(0x20, self.stick.home_id.to_bytes(4, "big") + self.node_bytes(self.stick.own_node_id))

    # ------------------------------------------------------------------ network
    def _get_suc_node_id(self, payload: bytes) -> None:
        self.respond(0x56, self.node_bytes(self.stick.suc_node_id))

    def _is_failed_node(self, payload: bytes) -> None:
        node_id, _ = self.read_node(payload)
        self.respond(0x62, b"\x01" if node_id in self.stick.failed_nodes else b"\x00")

    def _get_node_protocol_info(self, payload: bytes) -> None:
        node_id, _ = self.read_node(payload)
        if node_id == self.stick.own_node_id:
            self.respond(0x41, bytes((0xD3, 0x16, 0x01, 0x02, 0x02, 0x01)))
            return
        node = self.stick.nodes.get(node_id)
        self.respond(0x41, node.protocol_info() if node else bytes(6))

    def tx_report(self, result: TxResult, node: object) -> bytes:
        """TX report appended to the SendData callback (extended when enabled via 0x0B/0x02)."""
        return tx_report_bytes(result, self.tx_status_report, bool(getattr(node, "flirs", False)))
