"""Small bounds-checked helpers shared by the Serial API message modules."""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import MessageDecodeError

CC_MARK = 0xEF  # support/control mark in a command-class list
EXTENDED_CC_START = 0xF1  # CC ids from here on take two bytes


def require(payload: bytes, length: int, what: str) -> None:
    """Raise MessageDecodeError if ``payload`` is shorter than ``length`` bytes."""
    if len(payload) < length:
        raise MessageDecodeError(f"{what}: payload too short ({len(payload)} < {length} bytes)")


def u16(payload: bytes, offset: int) -> int:
    """Big-endian unsigned 16-bit integer at ``offset``."""
    return int.from_bytes(payload[offset : offset + 2], "big")


def int8(value: int) -> int:
    """Interpret one byte as a signed 8-bit integer."""
    return value - 256 if value >= 0x80 else value


def parse_node_bitmask(mask: bytes, start: int = 1) -> list[int]:
    """Node ids whose bits are set: bit 0 of byte 0 is ``start`` (node 1)."""
    return [
        start + index * 8 + bit for index, byte in enumerate(mask) for bit in range(8) if byte & (1 << bit)
    ]


def encode_node_bitmask(node_ids: Iterable[int], length: int = 29, start: int = 1) -> bytes:
    """Inverse of :func:`parse_node_bitmask` (used by fake sticks and tests)."""
    mask = bytearray(length)
    for node_id in node_ids:
        pos = node_id - start
        mask[pos // 8] |= 1 << (pos % 8)
    return bytes(mask)


def parse_cc_list(data: bytes) -> tuple[list[int], list[int]]:
    """Split a NIF command-class list into (supported, controlled) at the 0xEF mark.

    CC ids >= 0xF1 are two bytes (returned as ``first << 8 | second``).
    """
    supported: list[int] = []
    controlled: list[int] = []
    target = supported
    i = 0
    while i < len(data):
        byte = data[i]
        if byte == CC_MARK:
            target = controlled
            i += 1
            continue
        if byte >= EXTENDED_CC_START:
            if i + 1 >= len(data):
                raise MessageDecodeError(f"truncated extended CC id 0x{byte:02X} in CC list")
            target.append((byte << 8) | data[i + 1])
            i += 2
            continue
        target.append(byte)
        i += 1
    return supported, controlled


def encode_cc_list(supported: Iterable[int], controlled: Iterable[int] = ()) -> bytes:
    """Encode a CC list (with the 0xEF mark before controlled CCs, if any)."""
    out = bytearray()
    for cc in supported:
        out += cc.to_bytes(2, "big") if cc > 0xFF else bytes((cc,))
    controlled = list(controlled)
    if controlled:
        out.append(CC_MARK)
        for cc in controlled:
            out += cc.to_bytes(2, "big") if cc > 0xFF else bytes((cc,))
    return bytes(out)
