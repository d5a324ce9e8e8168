"""Transport Service CC (0x55), v2: one datagram too long for a frame, sent in segments.

Layouts (Z-Wave JS ``TransportServiceCC.ts``; the low 3 bits of the command byte of the two
segment commands carry bits 10..8 of the datagram size)::

    First Segment       55 C0|size_hi [size_lo] [session<<4 | ext<<3] ([ext len][ext]) payload CRC16
    Subsequent Segment  55 E0|size_hi [size_lo] [session<<4 | ext<<3 | offset_hi] [offset_lo]
                        ([ext len][ext]) payload CRC16
    Segment Request     55 C8 [session<<4 | offset_hi] [offset_lo]
    Segment Complete    55 E8 [session<<4]
    Segment Wait        55 F0 [pending segments]

The CRC is CRC-16-CCITT (init 0x1D0F, :func:`.crc16.crc16_ccitt`) over the whole segment from the
CC byte on, big-endian.  A segment carries at most :data:`MAX_SEGMENT_SIZE` payload bytes.

The command byte is not a plain command id, so these commands are not in the CC registry:
:func:`decode_transport_service` decodes them (``messaging.encap.unwrap`` calls it for an
outermost 0x55).  Reassembly and segmentation live in ``messaging/transport_service.py``.
A segment's ``repr`` shows its session, size and byte range, never the bytes it carries (a
segmented User Code report must not leak through a log line).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import CCDecodeError, CCEncodeError
from .base import CCCommand, CCInfo, register_cc
from .crc16 import crc16_ccitt
from .ids import CommandClass

CC = CommandClass.TRANSPORT_SERVICE
FIRST_SEGMENT = 0xC0
SEGMENT_REQUEST = 0xC8
SUBSEQUENT_SEGMENT = 0xE0
SEGMENT_COMPLETE = 0xE8
SEGMENT_WAIT = 0xF0

#: v2: a node MUST NOT send segments with more payload than this (Z-Wave JS rejects them).
MAX_SEGMENT_SIZE = 39
#: The datagram size and offsets are 11 bits.
MAX_DATAGRAM_SIZE = 0x7FF
MAX_SESSION_ID = 0x0F
#: Sending more segments than this back to back needs the relaxed timing delay between them.
RELAXED_TIMING_THRESHOLD = 2
#: Bytes a segment adds around its payload (no header extension): First 6, Subsequent 7.
FIRST_SEGMENT_OVERHEAD = 6
SUBSEQUENT_SEGMENT_OVERHEAD = 7


@dataclass(frozen=True, slots=True)
class TransportServiceTimeouts:
    """Timers in seconds (Z-Wave JS ``TransportServiceTimeouts``, data rate R2; R3 halves
    them: 0.4 / 0.5 / 0.015 s).  Z-Wave JS uses the R2 values (it cannot tell the rate)."""

    #: A receiver waits this long after a segment before asking for a missing one, and again
    #: after the Segment Request before giving the datagram up.
    request_missing_segment: float = 0.8
    #: A sender waits this long for Segment Complete after its last segment.
    segment_complete: float = 1.0
    #: Between segments when sending more than :data:`RELAXED_TIMING_THRESHOLD` of them.
    relaxed_timing_delay: float = 0.035
    #: A sender told to wait (Segment Wait) restarts after ``pending segments`` times this.
    segment_wait_unit: float = 0.1


class TransportServiceCrcError(CCDecodeError):
    """A segment whose CRC-16 does not match (dropped and counted, never reassembled)."""


def _check(value: int, low: int, high: int, what: str) -> None:
    if not isinstance(value, int) or not low <= value <= high:
        raise CCEncodeError(f"Transport Service: {what} {value!r} is not {low}..{high}")


def _with_crc(data: bytes) -> bytes:
    return data + crc16_ccitt(data).to_bytes(2, "big")


def _extension(header_extension: bytes) -> tuple[int, bytes]:
    if not header_extension:
        return 0, b""
    if len(header_extension) > 0xFF:
        raise CCEncodeError("Transport Service: header extension longer than 255 bytes")
    return 0x08, bytes((len(header_extension),)) + bytes(header_extension)


@dataclass(frozen=True, slots=True)
class _Segment(CCCommand):
    """Shared fields of First and Subsequent Segment."""

    datagram_size: int
    session_id: int
    partial_datagram: bytes
    header_extension: bytes = b""

    @property
    def datagram_offset(self) -> int:
        return 0

    def _check_fields(self) -> None:
        _check(self.datagram_size, 1, MAX_DATAGRAM_SIZE, "datagram size")
        _check(self.session_id, 0, MAX_SESSION_ID, "session id")
        _check(len(self.partial_datagram), 1, MAX_SEGMENT_SIZE, "segment payload length")

    def encode_payload(self) -> bytes:
        return self.to_bytes()[2:]

    def __repr__(self) -> str:
        start = self.datagram_offset
        end = start + len(self.partial_datagram) - 1
        ext = f", header_extension=<{len(self.header_extension)} bytes>" if self.header_extension else ""
        return (
            f"{type(self).__name__}(session_id={self.session_id}, datagram_size={self.datagram_size}, "
            f"bytes={start}..{end}{ext})"
        )


@dataclass(frozen=True, slots=True, repr=False)
class TransportServiceFirstSegment(_Segment):
    cc_id = CC
    command_id = FIRST_SEGMENT

    def to_bytes(self) -> bytes:
        self._check_fields()
        flag, ext = _extension(self.header_extension)
        head = bytes(
            (CC, FIRST_SEGMENT | (self.datagram_size >> 8), self.datagram_size & 0xFF, (self.session_id << 4) | flag)
        )
        return _with_crc(head + ext + bytes(self.partial_datagram))


@dataclass(frozen=True, slots=True, repr=False)
class TransportServiceSubsequentSegment(_Segment):
    cc_id = CC
    command_id = SUBSEQUENT_SEGMENT
    offset: int = 0

    @property
    def datagram_offset(self) -> int:
        return self.offset

    def to_bytes(self) -> bytes:
        self._check_fields()
        _check(self.offset, 1, MAX_DATAGRAM_SIZE, "datagram offset")
        flag, ext = _extension(self.header_extension)
        head = bytes(
            (
                CC,
                SUBSEQUENT_SEGMENT | (self.datagram_size >> 8),
                self.datagram_size & 0xFF,
                (self.session_id << 4) | flag | (self.offset >> 8),
                self.offset & 0xFF,
            )
        )
        return _with_crc(head + ext + bytes(self.partial_datagram))


@dataclass(frozen=True, slots=True)
class TransportServiceSegmentRequest(CCCommand):
    """The receiver asks for the segment starting at ``offset``."""

    cc_id = CC
    command_id = SEGMENT_REQUEST
    session_id: int
    offset: int

    def encode_payload(self) -> bytes:
        _check(self.session_id, 0, MAX_SESSION_ID, "session id")
        _check(self.offset, 0, MAX_DATAGRAM_SIZE, "datagram offset")
        return bytes(((self.session_id << 4) | (self.offset >> 8), self.offset & 0xFF))


@dataclass(frozen=True, slots=True)
class TransportServiceSegmentComplete(CCCommand):
    """The receiver has the whole datagram of ``session_id``."""

    cc_id = CC
    command_id = SEGMENT_COMPLETE
    session_id: int

    def encode_payload(self) -> bytes:
        _check(self.session_id, 0, MAX_SESSION_ID, "session id")
        return bytes((self.session_id << 4,))


@dataclass(frozen=True, slots=True)
class TransportServiceSegmentWait(CCCommand):
    """The receiver is busy with another datagram: restart later (``pending_segments`` it
    still expects in the session it is busy with)."""

    cc_id = CC
    command_id = SEGMENT_WAIT
    pending_segments: int

    def encode_payload(self) -> bytes:
        _check(self.pending_segments, 0, 0xFF, "pending segments")
        return bytes((self.pending_segments,))


TransportServiceSegment = TransportServiceFirstSegment | TransportServiceSubsequentSegment
TransportServiceCommand = (
    TransportServiceFirstSegment
    | TransportServiceSubsequentSegment
    | TransportServiceSegmentRequest
    | TransportServiceSegmentComplete
    | TransportServiceSegmentWait
)


def _fail(message: str, command: int) -> CCDecodeError:
    return CCDecodeError(f"Transport Service: {message}", CC, command)


def _decode_segment(data: bytes, command: int, first: bool) -> TransportServiceSegment:
    name = "First Segment" if first else "Subsequent Segment"
    header = 4 if first else 5
    if len(data) < header + 3:  # header, at least one payload byte, CRC
        raise _fail(f"{name} too short ({len(data)} bytes)", command)
    if crc16_ccitt(data[:-2]) != int.from_bytes(data[-2:], "big"):
        raise TransportServiceCrcError(f"Transport Service: {name} checksum mismatch", CC, command)
    size = ((data[1] & 0x07) << 8) | data[2]
    session = data[3] >> 4
    offset = 0 if first else ((data[3] & 0x07) << 8) | data[4]
    start = header
    extension = b""
    if data[3] & 0x08:
        ext_len = data[header]
        start = header + 1 + ext_len
        if start > len(data) - 2:
            raise _fail(f"{name} header extension longer than the segment", command)
        extension = bytes(data[header + 1 : start])
    partial = bytes(data[start:-2])
    if not partial:
        raise _fail(f"{name} without payload", command)
    if len(partial) > MAX_SEGMENT_SIZE:
        raise _fail(f"{name} payload of {len(partial)} bytes (at most {MAX_SEGMENT_SIZE})", command)
    if size == 0:
        raise _fail(f"{name} of an empty datagram", command)
    if first:
        return TransportServiceFirstSegment(size, session, partial, extension)
    if offset == 0:
        raise _fail("Subsequent Segment at offset 0", command)
    return TransportServiceSubsequentSegment(size, session, partial, extension, offset)


def decode_transport_service(data: bytes) -> TransportServiceCommand:
    """Decode a Transport Service command (bytes from the CC byte on).  Raises
    :class:`TransportServiceCrcError` for a segment with a bad checksum and
    :class:`~..errors.CCDecodeError` for anything else malformed; nothing else."""
    data = bytes(data)
    if len(data) < 2 or data[0] != CC:
        raise CCDecodeError("not a Transport Service command", data[0] if data else None)
    command = data[1] & 0xF8
    if command == FIRST_SEGMENT:
        return _decode_segment(data, data[1], True)
    if command == SUBSEQUENT_SEGMENT:
        return _decode_segment(data, data[1], False)
    if command == SEGMENT_REQUEST:
        if len(data) < 4:
            raise _fail("Segment Request too short", data[1])
        return TransportServiceSegmentRequest(data[2] >> 4, ((data[2] & 0x07) << 8) | data[3])
    if command == SEGMENT_COMPLETE:
        if len(data) < 3:
            raise _fail("Segment Complete too short", data[1])
        return TransportServiceSegmentComplete(data[2] >> 4)
    if command == SEGMENT_WAIT:
        if len(data) < 3:
            raise _fail("Segment Wait too short", data[1])
        return TransportServiceSegmentWait(data[2])
    raise _fail(f"unknown command 0x{data[1]:02X}", data[1])


def segment_at(datagram: bytes, session_id: int, offset: int, segment_size: int = MAX_SEGMENT_SIZE) -> TransportServiceSegment:
    """The segment of ``datagram`` that starts at ``offset`` (a First Segment at 0)."""
    _check(segment_size, 1, MAX_SEGMENT_SIZE, "segment size")
    if not 0 <= offset < len(datagram):
        raise CCEncodeError(f"Transport Service: offset {offset} outside the datagram")
    chunk = bytes(datagram[offset : offset + segment_size])
    if offset == 0:
        return TransportServiceFirstSegment(len(datagram), session_id, chunk)
    return TransportServiceSubsequentSegment(len(datagram), session_id, chunk, offset=offset)


def segment_datagram(datagram: bytes, session_id: int, segment_size: int = MAX_SEGMENT_SIZE) -> list[TransportServiceSegment]:
    """``datagram`` cut into segments of ``segment_size`` payload bytes (the last shorter)."""
    _check(len(datagram), 1, MAX_DATAGRAM_SIZE, "datagram size")
    _check(segment_size, 1, MAX_SEGMENT_SIZE, "segment size")
    return [segment_at(datagram, session_id, offset, segment_size) for offset in range(0, len(datagram), segment_size)]


INFO = register_cc(CCInfo(CC, "Transport Service", 2, interview_order=5))

__all__ = [
    "MAX_DATAGRAM_SIZE",
    "MAX_SEGMENT_SIZE",
    "MAX_SESSION_ID",
    "RELAXED_TIMING_THRESHOLD",
    "TransportServiceCommand",
    "TransportServiceCrcError",
    "TransportServiceFirstSegment",
    "TransportServiceSegment",
    "TransportServiceSegmentComplete",
    "TransportServiceSegmentRequest",
    "TransportServiceSegmentWait",
    "TransportServiceSubsequentSegment",
    "TransportServiceTimeouts",
    "decode_transport_service",
    "segment_at",
    "segment_datagram",
]
