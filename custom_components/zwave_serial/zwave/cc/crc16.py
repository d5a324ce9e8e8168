"""CRC-16 Encapsulation CC (0x56): ``Encap 01 [command][CRC-16]``.

The checksum is CRC-16-CCITT (polynomial 0x1021, initial value 0x1D0F) over the whole frame
from the CC byte on, big-endian.  Devices that use it wrap reports in it; the hub unwraps it
(:func:`..messaging.encap.unwrap`), and a frame whose checksum does not match is a typed
decode error.  Vector (SDS13783, also Z-Wave JS's test): Basic Get → ``56 01 20 02 4D 26``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

from ..errors import CCDecodeError, CCEncodeError
from .base import CCCommand, CCInfo, register, register_cc
from .ids import CommandClass
from .primitives import require
from .supervision import inner_summary

CC = CommandClass.CRC_16_ENCAP
_HEADER = bytes((CC, 0x01))


def crc16_ccitt(data: bytes, crc: int = 0x1D0F) -> int:
    """CRC-16-CCITT (poly 0x1021) as Z-Wave uses it (initial value 0x1D0F)."""
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
    return crc


@register
@dataclass(frozen=True, slots=True)
class Crc16Encap(CCCommand):
    cc_id = CC
    command_id = 0x01
    command: bytes

    def encode_payload(self) -> bytes:
        if not self.command:
            raise CCEncodeError("CRC-16 Encap: empty command")
        checksum = crc16_ccitt(_HEADER + self.command)
        return bytes(self.command) + checksum.to_bytes(2, "big")

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 3, "CRC-16 Encap")
        command, received = bytes(payload[:-2]), int.from_bytes(payload[-2:], "big")
        if crc16_ccitt(_HEADER + command) != received:
            raise CCDecodeError("CRC-16 Encap: checksum mismatch", CC, 0x01)
        return cls(command)

    def __repr__(self) -> str:
        return f"Crc16Encap(command={inner_summary(self.command)})"


INFO = register_cc(CCInfo(CC, "CRC-16 Encapsulation", 1, interview_order=5))
