"""Log-safe text for frames: hex, with the command bytes masked when they carry a secret.

The link logs every frame at DEBUG level as hex; a User Code Set/Report or a network key in
hex would leak the secret, so the driver gives the link :func:`frame_text` as its formatter.
"""

from __future__ import annotations

from .errors import ZWaveError
from .frame import Frame, FrameType, parse_frame
from .messaging import encap

APPLICATION_COMMAND = 0x04
BRIDGE_APPLICATION_COMMAND = 0xA8
SEND_DATA = 0x13


def _command_span(frame: Frame) -> tuple[int, int] | None:
    """(start, end) of the CC bytes inside the frame's payload, if the frame carries a command."""
    p = frame.payload
    if frame.function == SEND_DATA and frame.type == FrameType.REQUEST and len(p) >= 4 and len(p) == p[1] + 4:
        return 2, 2 + p[1]
    if frame.function == APPLICATION_COMMAND and frame.type == FrameType.REQUEST and len(p) >= 3:
        return 3, min(len(p), 3 + p[2])
    if frame.function == BRIDGE_APPLICATION_COMMAND and frame.type == FrameType.REQUEST and len(p) >= 4:
        return 4, min(len(p), 4 + p[3])
    return None


def _is_nonce(data: bytes) -> bool:
    """S0 Nonce Report, S2 Nonce Report, an S2 frame with unencrypted extensions (SPAN): nonce
    material stays out of logs."""
    if len(data) < 2:
        return False
    if data[0] == 0x98:
        return data[1] == 0x80
    if data[0] == 0x9F:
        return data[1] == 0x02 or (data[1] == 0x03 and len(data) > 3 and bool(data[3] & 0x01))
    return False


def is_secret_command(data: bytes) -> bool:
    """True when the (possibly encapsulated) command carries a secret (a user code, or a
    keypad notification embedding one) or nonce material."""
    if _is_nonce(data):
        return True
    try:
        unwrapped = encap.unwrap(data)
    except ZWaveError:
        return False
    return any(command.carries_secret for _, command in unwrapped.commands)


#: NVM access functions -> bytes before the memory contents, for (requests, responses).  A
#: 500-series stick's memory holds its S0 key, so NVM contents never go to the log.
NVM_HEADERS: dict[int, tuple[int | None, int | None]] = {
    0x2A: (None, 0),  # ExtNVMReadLongBuffer: the response is data
    0x2B: (5, None),  # ExtNVMWriteLongBuffer: [offset u24][length u16][data]
    0x2C: (None, 0),
    0x2D: (3, None),
    0x2E: (4, 4),  # NVMOperations: [op][len][offset u16][data] / [status][len][offset u16][data]
    0x3D: (6, 6),  # ExtendedNVMOperations: 32-bit offsets
}


def _nvm_span(frame: Frame) -> tuple[int, int] | None:
    headers = NVM_HEADERS.get(frame.function)
    if headers is None:
        return None
    start = headers[1] if frame.type == FrameType.RESPONSE else headers[0]
    if start is None or len(frame.payload) <= start:
        return None
    return start, len(frame.payload)


def frame_text(data: bytes) -> str:
    """Hex of a raw frame, with secret command bytes (and NVM contents) replaced by
    ``<redacted N bytes>``."""
    try:
        frame = parse_frame(bytes(data))
    except ZWaveError:
        return bytes(data).hex(" ")
    nvm = _nvm_span(frame)
    if nvm is not None:
        start, end = nvm
        head = bytes(data[: 4 + start]).hex(" ")
        return f"{head} <redacted {end - start} bytes> {bytes(data[4 + end :]).hex(' ')}".strip()
    span = _command_span(frame)
    if span is None:
        return bytes(data).hex(" ")
    start, end = span
    command = frame.payload[start:end]
    if not is_secret_command(command):
        return bytes(data).hex(" ")
    head = bytes(data[: 4 + start]).hex(" ")
    tail = bytes(data[4 + end :]).hex(" ")
    return f"{head} <redacted {len(command)} bytes> {tail}".strip()
