"""Serial API frame codec: SOF LEN TYPE FUNC payload CHK, and the single-byte ACK/NAK/CAN.

Pure functions and a push parser; no I/O.  See protocol-facts §1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

from .errors import FrameDecodeError

SOF = 0x01
ACK = 0x06
NAK = 0x15
CAN = 0x18

MIN_FRAME_LEN = 5  # SOF LEN TYPE FUNC CHK
MAX_LEN_BYTE = 0xFF


class FrameType(IntEnum):
    """The TYPE byte of a data frame."""

    REQUEST = 0x00
    RESPONSE = 0x01


class Control(IntEnum):
    """Single-byte frames."""

    ACK = ACK
    NAK = NAK
    CAN = CAN


def checksum(body: bytes | bytearray | memoryview) -> int:
    """XOR of 0xFF and every byte from LEN through the last payload byte."""
    value = 0xFF
    for byte in body:
        value ^= byte
    return value


@dataclass(frozen=True, slots=True)
class Frame:
    """A Serial API data frame."""

    type: FrameType
    function: int
    payload: bytes = b""

    def to_bytes(self) -> bytes:
        """Serialize with SOF, length and checksum."""
        length = len(self.payload) + 3
        if length > MAX_LEN_BYTE:
            raise ValueError(f"payload too long for one frame ({len(self.payload)} bytes)")
        body = bytes((length, int(self.type), self.function)) + self.payload
        return bytes((SOF,)) + body + bytes((checksum(body),))

    @classmethod
    def request(cls, function: int, payload: bytes = b"") -> Frame:
        return cls(FrameType.REQUEST, function, bytes(payload))

    @classmethod
    def response(cls, function: int, payload: bytes = b"") -> Frame:
        return cls(FrameType.RESPONSE, function, bytes(payload))

    def __repr__(self) -> str:
        # No payload bytes: a frame may carry a user code or a key (log via redact.frame_text).
        kind = "REQ" if self.type == FrameType.REQUEST else "RES"
        return f"Frame({kind} 0x{self.function:02X}, {len(self.payload)} bytes)"


def parse_frame(data: bytes) -> Frame:
    """Decode exactly one complete data frame (SOF..CHK); raise FrameDecodeError otherwise."""
    if len(data) < MIN_FRAME_LEN:
        raise FrameDecodeError(f"frame too short ({len(data)} bytes)")
    if data[0] != SOF:
        raise FrameDecodeError(f"frame does not start with SOF (0x{data[0]:02X})")
    length = data[1]
    if length < 3:
        raise FrameDecodeError(f"length byte {length} is below the minimum of 3")
    if len(data) != length + 2:
        raise FrameDecodeError(f"length byte says {length + 2} bytes, got {len(data)}")
    expected = checksum(data[1:-1])
    if data[-1] != expected:
        raise FrameDecodeError(f"bad checksum 0x{data[-1]:02X}, expected 0x{expected:02X}")
    if data[2] not in (0, 1):
        raise FrameDecodeError(f"unknown frame type 0x{data[2]:02X}")
    return Frame(FrameType(data[2]), data[3], bytes(data[4:-1]))


@dataclass(frozen=True, slots=True)
class BadFrame:
    """A complete data frame whose checksum or header is wrong (the receiver answers NAK)."""

    raw: bytes
    reason: str


@dataclass(frozen=True, slots=True)
class Discarded:
    """Bytes outside any frame that were skipped while resynchronising."""

    raw: bytes


Token = Frame | Control | BadFrame | Discarded


@dataclass
class ParserCounters:
    """What the parser has seen; all counts since creation."""

    frames: int = 0
    acks: int = 0
    naks: int = 0
    cans: int = 0
    bad_frames: int = 0
    out_of_frame_bytes: int = 0
    partial_timeouts: int = 0


@dataclass
class FrameParser:
    """Incremental receiver: feed bytes, get tokens.

    Bytes that are not SOF/ACK/NAK/CAN at a frame boundary are skipped (reported as
    :class:`Discarded`).  A data frame is returned once LEN+2 bytes are buffered.  The
    caller handles the partial-frame timeout by calling :meth:`abort_partial`.
    """

    counters: ParserCounters = field(default_factory=ParserCounters)
    _buf: bytearray = field(default_factory=bytearray)

    @property
    def has_partial(self) -> bool:
        """True while a data frame has started (SOF seen) but is not complete."""
        return bool(self._buf)

    def abort_partial(self) -> bytes:
        """Drop a partially received frame (receive timeout); return the dropped bytes."""
        dropped = bytes(self._buf)
        if dropped:
            self.counters.partial_timeouts += 1
            self._buf.clear()
        return dropped

    def feed(self, data: bytes | bytearray) -> list[Token]:
        """Consume bytes; return the tokens completed by them, in order."""
        tokens: list[Token] = []
        discarded = bytearray()
        i = 0
        n = len(data)
        while i < n:
            if self._buf:
                # Inside a data frame: take as many bytes as the frame still needs.
                if len(self._buf) == 1:
                    self._buf.append(data[i])
                    i += 1
                    if self._buf[1] < 3:
                        # Impossible length: treat SOF as noise and resync on the rest.
                        bad = bytes(self._buf)
                        self._buf.clear()
                        self.counters.bad_frames += 1
                        tokens.append(BadFrame(bad, f"invalid length byte {bad[1]}"))
                    continue
                need = self._buf[1] + 2 - len(self._buf)
                chunk = data[i : i + need]
                self._buf += chunk
                i += len(chunk)
                if len(self._buf) == self._buf[1] + 2:
                    raw = bytes(self._buf)
                    self._buf.clear()
                    try:
                        frame = parse_frame(raw)
                    except FrameDecodeError as err:
                        self.counters.bad_frames += 1
                        tokens.append(BadFrame(raw, str(err)))
                    else:
                        self.counters.frames += 1
                        tokens.append(frame)
                continue
            byte = data[i]
            i += 1
            if byte == SOF:
                if discarded:
                    tokens.append(Discarded(bytes(discarded)))
                    discarded.clear()
                self._buf.append(byte)
            elif byte in (ACK, NAK, CAN):
                if discarded:
                    tokens.append(Discarded(bytes(discarded)))
                    discarded.clear()
                control = Control(byte)
                if control is Control.ACK:
                    self.counters.acks += 1
                elif control is Control.NAK:
                    self.counters.naks += 1
                else:
                    self.counters.cans += 1
                tokens.append(control)
            else:
                self.counters.out_of_frame_bytes += 1
                discarded.append(byte)
        if discarded:
            tokens.append(Discarded(bytes(discarded)))
        return tokens
