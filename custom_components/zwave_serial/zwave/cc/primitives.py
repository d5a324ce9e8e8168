"""Value encodings shared by command classes (protocol-facts §4 "General value encodings")."""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Any

from ..errors import CCDecodeError, CCEncodeError
from ..values import ValueUpdate


class SwitchValue(StrEnum):
    """Value names of the switch CCs (Basic, Binary and Multilevel Switch)."""

    CURRENT_VALUE = "current_value"
    TARGET_VALUE = "target_value"
    DURATION = "duration"


UNKNOWN_LEVEL = 0xFE


def require(payload: bytes, length: int, what: str) -> None:
    """Raise CCDecodeError unless ``payload`` has at least ``length`` bytes."""
    if len(payload) < length:
        raise CCDecodeError(f"{what}: need {length} bytes, got {len(payload)}")


def decode_level(byte: int) -> int | None:
    """Multilevel level byte: 0..99; 0xFF means on (reported as 99); 0xFE unknown -> None."""
    if byte == 0xFF:
        return 99
    if byte <= 99:
        return byte
    return None


def decode_binary(byte: int) -> bool | None:
    """Binary byte: 0x00 off, 0x01..0x63 and 0xFF on, 0xFE (or anything else) unknown."""
    if byte == 0x00:
        return False
    if byte == 0xFF or 1 <= byte <= 99:
        return True
    return None


def decode_duration(byte: int) -> float | None:
    """Duration byte in a report -> seconds; 0xFE unknown / 0xFF reserved -> None."""
    if byte <= 0x7F:
        return float(byte)
    if byte <= 0xFD:
        return float((byte - 0x7F) * 60)
    return None


def encode_duration(seconds: float | None) -> int:
    """Seconds -> duration byte for a Set; ``None`` means the device default (0xFF)."""
    if seconds is None:
        return 0xFF
    if not math.isfinite(seconds) or seconds < 0:
        raise CCEncodeError("duration must be a finite number of seconds, not negative")
    secs = round(seconds)
    if secs <= 0x7F:
        return secs
    minutes = min(round(secs / 60), 0xFE - 0x7F)
    return 0x7F + max(minutes, 1)


def decode_set_duration(byte: int) -> float | None:
    """Duration byte in a Set/StartLevelChange -> seconds; 0xFF (device default) -> None."""
    if byte == 0xFF:
        return None
    if byte <= 0x7F:
        return float(byte)
    return float((byte - 0x7F) * 60)


def encode_optional_duration(seconds: float | None, include: bool) -> bytes:
    """The optional trailing duration byte of a Set: sent when ``include`` or a duration is given."""
    if include or seconds is not None:
        return bytes((encode_duration(seconds),))
    return b""


def encode_report_duration(seconds: float | None) -> int:
    """Seconds -> duration byte for a Report; ``None`` means unknown (0xFE)."""
    if seconds is None:
        return 0xFE
    return min(encode_duration(seconds), 0xFD)


def current_target_updates(current: Any, target: Any, duration: float | None, has_target: bool) -> list[ValueUpdate]:
    """``current_value``; with ``has_target`` also ``target_value`` and the remaining ``duration`` (s).

    The values of an actuator Report ``[current][target][duration]`` (Basic, Binary/Multilevel Switch).
    """
    updates = [ValueUpdate(SwitchValue.CURRENT_VALUE, current)]
    if has_target:
        updates.append(ValueUpdate(SwitchValue.TARGET_VALUE, target))
        updates.append(ValueUpdate(SwitchValue.DURATION, duration, unit="s"))
    return updates


def decode_float_with_scale(payload: bytes, offset: int = 0) -> tuple[float, int, int, int]:
    """Parse ``[precision|scale|size][signed BE int]`` -> (value, scale, precision, size)."""
    require(payload, offset + 1, "float-with-scale header")
    header = payload[offset]
    precision = header >> 5
    scale = (header >> 3) & 0x03
    size = header & 0x07
    if size not in (1, 2, 4):
        raise CCDecodeError(f"invalid value size {size}")
    require(payload, offset + 1 + size, "float-with-scale value")
    raw = int.from_bytes(payload[offset + 1 : offset + 1 + size], "big", signed=True)
    value = raw / (10**precision) if precision else float(raw)
    return value, scale, precision, size


def encode_float_with_scale(
    value: float, scale: int, precision: int | None = None, size: int | None = None
) -> bytes:
    """Encode a number with the smallest size (1, 2 or 4 bytes) that holds it, or ``size``."""
    if not 0 <= scale <= 3:
        raise CCEncodeError(f"scale {scale} does not fit in 2 bits")
    if not math.isfinite(value):
        raise CCEncodeError(f"value {value} is not a finite number")
    if precision is None:
        precision = 0
        while precision < 7 and round(value * 10**precision) != value * 10**precision:
            precision += 1
    if not 0 <= precision <= 7:
        raise CCEncodeError(f"precision {precision} does not fit in 3 bits")
    if size is not None and size not in (1, 2, 4):
        raise CCEncodeError(f"invalid value size {size}")
    raw = round(value * 10**precision)
    sizes = (1, 2, 4) if size is None else (size,)
    for n in sizes:
        if -(1 << (n * 8 - 1)) <= raw < (1 << (n * 8 - 1)):
            break
    else:
        raise CCEncodeError(f"value {value} does not fit in {sizes[-1]} bytes")
    header = (precision << 5) | (scale << 3) | n
    return bytes((header,)) + raw.to_bytes(n, "big", signed=True)


def bitmask_to_set(mask: bytes, start: int = 0) -> set[int]:
    """Bit k of the mask (LSB of byte 0 first) -> ``start + k`` in the result."""
    return {start + i * 8 + bit for i, byte in enumerate(mask) for bit in range(8) if byte & (1 << bit)}


def set_to_bitmask(values: set[int] | list[int], start: int = 0, length: int | None = None) -> bytes:
    """Inverse of :func:`bitmask_to_set`."""
    highest = max(values, default=start - 1)
    size = length if length is not None else max((highest - start) // 8 + 1, 0)
    out = bytearray(size)
    for v in values:
        idx = v - start
        if idx < 0 or idx // 8 >= size:
            raise CCEncodeError(f"value {v} does not fit in a {size}-byte bitmask")
        out[idx // 8] |= 1 << (idx % 8)
    return bytes(out)
