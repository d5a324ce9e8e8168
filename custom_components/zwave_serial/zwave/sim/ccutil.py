"""Byte helpers shared by the virtual devices: integers, float-with-scale, bitmasks, encapsulation.

Independent of the driver's CC modules on purpose: the simulator is a second, separate
implementation of the wire formats (protocol-facts §4).
"""

from __future__ import annotations

import logging

_LOGGER = logging.getLogger(__name__)

# Supervision status values
SUPERVISION_NO_SUPPORT = 0x00
SUPERVISION_WORKING = 0x01
SUPERVISION_FAIL = 0x02
SUPERVISION_SUCCESS = 0xFF

# Command class ids used by the simulator
CC_BASIC = 0x20
CC_SWITCH_BINARY = 0x25
CC_SWITCH_MULTILEVEL = 0x26
CC_SENSOR_BINARY = 0x30
CC_SENSOR_MULTILEVEL = 0x31
CC_METER = 0x32
CC_ZWAVEPLUS_INFO = 0x5E
CC_MULTI_CHANNEL = 0x60
CC_DOOR_LOCK = 0x62
CC_USER_CODE = 0x63
CC_SUPERVISION = 0x6C
CC_CONFIGURATION = 0x70
CC_NOTIFICATION = 0x71
CC_MANUFACTURER_SPECIFIC = 0x72
CC_BATTERY = 0x80
CC_WAKE_UP = 0x84
CC_ASSOCIATION = 0x85
CC_VERSION = 0x86
CC_TIME = 0x8A
CC_MULTI_CHANNEL_ASSOCIATION = 0x8E


def u16(value: int) -> bytes:
    """Big-endian unsigned 16-bit."""
    return (value & 0xFFFF).to_bytes(2, "big")


def u24(value: int) -> bytes:
    """Big-endian unsigned 24-bit."""
    return (value & 0xFFFFFF).to_bytes(3, "big")


def encode_float(value: float, scale: int, precision: int = 1, size: int | None = None) -> bytes:
    """Float-with-scale: ``[prec<<5 | scale<<3 | size][signed BE integer]``."""
    raw = round(value * (10**precision))
    if size is None:
        size = 1 if -128 <= raw <= 127 else 2 if -32768 <= raw <= 32767 else 4
    header = ((precision & 0x07) << 5) | ((scale & 0x03) << 3) | (size & 0x07)
    return bytes((header,)) + raw.to_bytes(size, "big", signed=True)


def decode_float(data: bytes) -> tuple[float, int, int]:
    """Inverse of :func:`encode_float`: ``(value, scale, consumed bytes)``."""
    header = data[0]
    precision = header >> 5
    scale = (header >> 3) & 0x03
    size = header & 0x07
    raw = int.from_bytes(data[1 : 1 + size], "big", signed=True)
    return raw / (10**precision), scale, 1 + size


def bitmask(values: list[int] | set[int], start: int = 0, length: int | None = None) -> bytes:
    """Bitmask where bit n (over all bytes) represents ``start + n``."""
    if not values:
        return bytes(length or 0)
    nbytes = length if length is not None else (max(values) - start) // 8 + 1
    out = bytearray(nbytes)
    for value in values:
        bit = value - start
        if 0 <= bit < nbytes * 8:
            out[bit // 8] |= 1 << (bit % 8)
    return bytes(out)


def supervision_get(session: int, inner: bytes, status_updates: bool = False) -> bytes:
    """Supervision GET ``6C 01 [b7 updates | session][len][inner]``."""
    props = (0x80 if status_updates else 0) | (session & 0x3F)
    return bytes((CC_SUPERVISION, 0x01, props, len(inner))) + inner


def supervision_report(session: int, status: int, duration: int = 0, more: bool = False) -> bytes:
    """Supervision REPORT ``6C 02 [b7 more | session][status][duration]``."""
    props = (0x80 if more else 0) | (session & 0x3F)
    return bytes((CC_SUPERVISION, 0x02, props, status, duration))


def multi_channel_encap(src_ep: int, dst_ep: int, inner: bytes) -> bytes:
    """Multi Channel Command Encapsulation ``60 0D [srcEp][dstEp][inner]``."""
    return bytes((CC_MULTI_CHANNEL, 0x0D, src_ep & 0x7F, dst_ep & 0x7F)) + inner


def notification_report(ntype: int, event: int, params: bytes = b"", status: int = 0xFF) -> bytes:
    """Notification REPORT v8 ``71 05 [0][0][0][status][type][event][paramLen][params]``."""
    return bytes((CC_NOTIFICATION, 0x05, 0, 0, 0, status, ntype, event, len(params) & 0x1F)) + params


def duration_to_seconds(value: int) -> float:
    """Decode a Set duration byte (0xFF = factory default, treated as 1 s)."""
    if value == 0xFF:
        return 1.0
    if value <= 0x7F:
        return float(value)
    return float((value - 0x7F) * 60)


def seconds_to_duration(seconds: float) -> int:
    """Encode a remaining duration for a Report (0 = done)."""
    if seconds <= 0:
        return 0
    secs = round(seconds) or 1
    if secs <= 0x7F:
        return secs
    return min(0x7F + (secs + 59) // 60, 0xFD)
