"""The virtual stick's NVM and its Serial API functions, for a 500- or 700/800-series stick.

The NVM holds a real-format image built from the stick's network (:mod:`.nvm500`,
:mod:`.nvm700`) each time the host starts reading it.  What the host writes stays in the
NVM; at the next soft reset the stick reads its network from it (home ID, own node ID, SUC,
nodes) like real firmware at boot.  Listed nodes that are not in radio range become silent
placeholders (``devices_in_range`` holds devices that can answer for a restored node id).

Functions, with the limits of real firmware:

* 500 series: GetNVMId 0x29, ExtNVMReadLongBuffer 0x2A / WriteLongBuffer 0x2B (and the byte
  variants 0x2C / 0x2D).  No GetProtocolVersion and no SerialAPIStarted after a reset.  A
  read longer than ``chunk_limit`` gets ``chunk_limit`` bytes, or none at all on the Z-Stick
  Gen5 profile (Z-Wave JS reads those sticks 48 bytes at a time); a longer write fails.
* 700/800 series: NVMOperations 0x2E (800: also ExtendedNVMOperations 0x3D, 32-bit
  offsets) as in the firmware's ``nvm_backup_restore.c``: Open stops the radio and answers
  the size; reads give at most 64 bytes; a write of more than 64 bytes is an error; Read
  and Write cannot be mixed without Close/Open (status 0x02); status 0xFF (end of file) when
  a request reaches the end.  After Open the radio stays off until the next soft reset.

Fault injection: :meth:`SimNvm.fail_write` makes one future write fail (``"error"``: the
stick refuses it; ``"corrupt"``: it accepts it and stores one wrong byte).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .ccutil import bitmask, u16
from .node import NodeInfo, VirtualNode
from .nvm500 import NetworkFacts
from .nvm500 import build as build_500
from .nvm500 import parse as parse_500
from .nvm700 import build as build_700
from .nvm700 import parse as parse_700

if TYPE_CHECKING:
    from .stick import VirtualStick

_LOGGER = logging.getLogger(__name__)

WORK_BUFFER = 64  # 700/800 firmware: bytes per read / write
OPEN, READ, WRITE, CLOSE = 0, 1, 2, 3
ST_OK, ST_ERROR, ST_MISMATCH, ST_EOF = 0x00, 0x01, 0x02, 0xFF
CONTROLLER_INFO = (bytes((0xD3, 0x16, 0x01)), 0x02, 0x01)
SIZE_CODES = {16 * 1024: 0x0E, 32 * 1024: 0x0F, 64 * 1024: 0x10, 128 * 1024: 0x11, 256 * 1024: 0x12}

#: 500-series profiles: identity (manufacturer, product type, product id), NVM size, chunk.
PROFILES_500: dict[str, dict[str, Any]] = {
    "generic": {"ids": (0x0000, 0x0005, 0x0001), "nvm_size": 32 * 1024, "chunk_limit": 168, "gen5": False},
    "zstick_gen5": {"ids": (0x0086, 0x0001, 0x005A), "nvm_size": 256 * 1024, "chunk_limit": 48, "gen5": True},
}


class RestoredNode(VirtualNode):
    """A node the restored NVM lists but whose device is not in range: it never answers."""

    def __init__(self, node_id: int, info: bytes, generic: int, specific: int) -> None:
        flirs = 1000 if info[1] & 0x40 else 250 if info[1] & 0x20 else 0
        super().__init__(node_id, NodeInfo(generic, specific, listening=bool(info[0] & 0x80), flirs=flirs))


class SimNvm:
    """The NVM of a :class:`VirtualStick` and its Serial API handlers."""

    def __init__(
        self, stick: VirtualStick, series: str = "700", *, profile: str = "generic", **overrides: Any
    ) -> None:
        if series not in ("500", "700", "800"):
            raise ValueError(f"unknown stick series {series!r}")
        self.stick = stick
        self.series = series
        settings = {**PROFILES_500[profile], **overrides} if series == "500" else {}
        self.ids: tuple[int, int, int] = settings.get("ids", (0x0000, 0x0004, 0x0004))
        self.chunk_limit: int = settings.get("chunk_limit", WORK_BUFFER)
        self.gen5: bool = settings.get("gen5", False)
        self.size: int = settings.get("nvm_size", 0xA000 if series == "800" else 0xC000)
        if series == "500" and self.size not in SIZE_CODES:
            raise ValueError(f"unsupported 500-series NVM size {self.size}")
        self.image = bytearray(b"\xff" * self.size)
        self.written = False  # the host wrote the NVM since the network was last read from it
        self.state = CLOSE
        #: Devices that answer for a node id once a restored NVM lists it.
        self.devices_in_range: dict[int, VirtualNode] = {}
        self.reads = self.writes = 0
        self.applied: list[NetworkFacts] = []
        self._fault: tuple[int | None, str] | None = None

    # ------------------------------------------------------------------ set-up
    def install(self) -> None:
        """Register the NVM functions (and the 500 series' identity) with the stick's API."""
        api = self.stick.api
        handlers: dict[int, Callable[[bytes], None]] = api.handlers
        reset = handlers[0x08]

        def soft_reset(payload: bytes) -> None:
            self.on_reset()
            reset(payload)

        handlers[0x08] = soft_reset
        if self.series == "500":
            handlers.pop(0x09, None)  # GetProtocolVersion is a 700-series function
            handlers.update({0x29: self._get_nvm_id, 0x2A: self._read_buffer, 0x2B: self._write_buffer})
            handlers.update({0x2C: self._read_byte, 0x2D: self._write_byte})
            handlers.update({0x02: self._init_data_500, 0x07: self._capabilities_500, 0x15: self._version_500})
            api.serial_api_started = lambda reason: None  # 500-series sticks never announce a start
            self.stick.started_on_replug = False
        else:
            handlers[0x2E] = lambda payload: self._operations(payload, extended=False)
            if self.series == "800":
                handlers[0x3D] = lambda payload: self._operations(payload, extended=True)

    def fail_write(self, offset: int | None = None, mode: str = "error") -> None:
        """Make the next write that covers ``offset`` (any write: None) fail once."""
        if mode not in ("error", "corrupt"):
            raise ValueError(mode)
        self._fault = (offset, mode)

    # ------------------------------------------------------------------ the image
    def facts(self) -> NetworkFacts:
        """The stick's network as its NVM holds it."""
        stick = self.stick
        facts = NetworkFacts(stick.home_id, stick.own_node_id, stick.suc_node_id)
        facts.nodes[stick.own_node_id] = CONTROLLER_INFO
        for node_id, node in stick.nodes.items():
            raw = node.protocol_info()
            facts.nodes[node_id] = (raw[:3], raw[4], raw[5])
        for node_id in facts.nodes:
            facts.neighbors[node_id] = set(stick.api.network.neighbors(node_id))
        facts.last_node_id = max(facts.nodes)
        return facts

    def refresh(self) -> None:
        """Write the network into the NVM (unless the host's own image waits for a reset)."""
        if self.written:
            return
        self.image = bytearray(b"\xff" * self.size)
        if self.series == "500":
            mfr, ptype, pid = self.ids
            data = build_500(self.facts(), (mfr, pid, ptype, pid))
        else:
            data = build_700(self.facts(), shared=self.series == "800")
        self.image[: len(data)] = data

    def on_reset(self) -> None:
        """Boot: the stick reads its network from the NVM the host wrote, radio back on."""
        self.state = CLOSE
        self.stick.rf_on = True
        if not self.written:
            return
        self.written = False
        facts = parse_500(bytes(self.image)) if self.series == "500" else parse_700(bytes(self.image))
        if facts is None:
            _LOGGER.warning("virtual stick: the written NVM is not valid; starting with an empty network")
            facts = NetworkFacts(self.stick.rng.getrandbits(32) | 1, 1, 0)
            facts.nodes[1] = CONTROLLER_INFO
        self.apply(facts)

    def apply(self, facts: NetworkFacts) -> None:
        """Become the stick of ``facts``' network."""
        stick = self.stick
        self.applied.append(facts)
        stick.home_id, stick.own_node_id, stick.suc_node_id = facts.home_id, facts.own_node_id, facts.suc_node_id
        listed = {n for n in facts.nodes if n != facts.own_node_id}
        for node_id in [n for n in stick.nodes if n not in listed]:
            self.devices_in_range.setdefault(node_id, stick.nodes[node_id])
            stick.remove_node(node_id)
        for node_id in sorted(listed - set(stick.nodes)):
            device = self.devices_in_range.pop(node_id, None)
            if device is None:
                info, generic, specific = facts.nodes[node_id]
                stick.add_node(RestoredNode(node_id, info, generic, specific))
                stick.set_dead(node_id)
            else:
                stick.set_dead(node_id, False)
                stick.add_node(device)
        inclusion = getattr(stick.api, "inclusion", None)
        if inclusion is not None and hasattr(inclusion, "last_node_id"):
            inclusion.last_node_id = max(facts.last_node_id, *listed) if listed else facts.last_node_id

    def _store(self, offset: int, data: bytes) -> bool:
        """Write into the NVM, applying an injected fault; False: the write is refused."""
        fault = self._fault
        if fault is not None and (fault[0] is None or offset <= fault[0] < offset + len(data)):
            self._fault = None
            if fault[1] == "error":
                return False
            at = (fault[0] if fault[0] is not None else offset) - offset
            data = data[:at] + bytes((data[at] ^ 0xFF,)) + data[at + 1 :]
        self.image[offset : offset + len(data)] = data
        self.written = True
        self.writes += 1
        return True

    # ------------------------------------------------------------------ 500 series
    def _respond(self, function: int, payload: bytes) -> None:
        self.stick.api.respond(function, payload)

    def _get_nvm_id(self, payload: bytes) -> None:
        self.refresh()
        self._respond(0x29, bytes((0x00, 0xEF, 0x80, SIZE_CODES[self.size])))

    def _read_buffer(self, payload: bytes) -> None:
        offset, length = int.from_bytes(payload[0:3], "big"), int.from_bytes(payload[3:5], "big")
        if offset == 0:
            self.refresh()
        if length > self.chunk_limit:
            if self.gen5:
                self._respond(0x2A, b"")
                return
            length = self.chunk_limit
        self.reads += 1
        self._respond(0x2A, bytes(self.image[offset : offset + length]))

    def _write_buffer(self, payload: bytes) -> None:
        offset, length = int.from_bytes(payload[0:3], "big"), int.from_bytes(payload[3:5], "big")
        data = payload[5 : 5 + length]
        ok = len(data) == length and length <= self.chunk_limit - 5 and offset + length <= self.size
        self._respond(0x2B, b"\x01" if ok and self._store(offset, data) else b"\x00")

    def _read_byte(self, payload: bytes) -> None:
        offset = int.from_bytes(payload[0:3], "big")
        self._respond(0x2C, bytes((self.image[offset] if offset < self.size else 0xFF,)))

    def _write_byte(self, payload: bytes) -> None:
        offset = int.from_bytes(payload[0:3], "big")
        ok = offset < self.size and self._store(offset, payload[3:4])
        self._respond(0x2D, b"\x01" if ok else b"\x00")

    def _init_data_500(self, payload: bytes) -> None:
        stick = self.stick
        caps = 0x08 if stick.suc_node_id == stick.own_node_id else 0x00
        ids = [n for n in (stick.own_node_id, *stick.nodes) if 1 <= n <= 232]
        self._respond(0x02, bytes((0x05, caps, 29)) + bitmask(ids, start=1, length=29) + b"\x05\x00")

    def _capabilities_500(self, payload: bytes) -> None:
        mfr, ptype, pid = self.ids
        mask = bitmask(list(self.stick.api.handlers), start=1, length=32)
        self._respond(0x07, bytes((1, 2)) + u16(mfr) + u16(ptype) + u16(pid) + mask)

    def _version_500(self, payload: bytes) -> None:
        self._respond(0x15, b"Z-Wave 4.54\x00\x01")

    # ------------------------------------------------------------------ 700 / 800 series
    def _operations(self, payload: bytes, *, extended: bool) -> None:
        function = 0x3D if extended else 0x2E
        width = 4 if extended else 2
        op = payload[0] if payload else 0xFF
        status, length, offset, data = ST_OK, 0, 0, b""
        if op == OPEN:
            if self.state == CLOSE:
                self.stick.rf_on = False  # the firmware stops the radio, timers and watchdog
                self.refresh()
                self.state = OPEN
                offset = self.size
                if extended:
                    length, data = 1, b"\x0f"  # sub-commands 0..3 supported
        elif op in (READ, WRITE):
            length = payload[1]
            offset = int.from_bytes(payload[2 : 2 + width], "big")
            if self.state not in (OPEN, op):
                status, length = ST_MISMATCH, 0
            else:
                self.state = op
                if op == READ:
                    length = min(length, WORK_BUFFER)
                elif length > WORK_BUFFER:
                    status, length = ST_ERROR, 0
                if status == ST_OK and offset + length >= self.size:
                    length, status = max(0, self.size - offset), ST_EOF
                if op == READ:
                    data = bytes(self.image[offset : offset + length])
                    self.reads += 1
                elif status != ST_ERROR and not self._store(offset, payload[2 + width : 2 + width + length]):
                    status, length = ST_ERROR, 0
        elif op == CLOSE:
            self.state = CLOSE
        offset_bytes = (offset & ((1 << (8 * width)) - 1)).to_bytes(width, "big")
        self._respond(function, bytes((status, length)) + offset_bytes + (data if op != WRITE else b""))
