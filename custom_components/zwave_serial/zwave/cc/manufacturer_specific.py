"""Manufacturer Specific CC (0x72), v2.

Values: ``manufacturer_id``, ``product_type``, ``product_id``; ``device_id`` (key = id type:
0 factory default, 1 serial number, 2 pseudo-random) from the v2 Device Specific Report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

from ..errors import NodeError
from ..values import ValueUpdate
from .base import CCCommand, CCContext, CCInfo, register, register_cc
from .ids import CommandClass
from .primitives import require

CC = CommandClass.MANUFACTURER_SPECIFIC

ID_FACTORY_DEFAULT = 0
ID_SERIAL_NUMBER = 1
ID_PSEUDO_RANDOM = 2
FORMAT_UTF8 = 0
FORMAT_BINARY = 1
#: Device id type -> name.
ID_TYPES: dict[int, str] = {
    ID_FACTORY_DEFAULT: "factory default",
    ID_SERIAL_NUMBER: "serial number",
    ID_PSEUDO_RANDOM: "pseudo-random",
}
#: Device id data format -> name.
DATA_FORMATS: dict[int, str] = {FORMAT_UTF8: "UTF-8", FORMAT_BINARY: "binary"}


@register
@dataclass(frozen=True, slots=True)
class ManufacturerSpecificReport(CCCommand):
    """Report 05 ``[manufacturer u16][product type u16][product id u16]``."""

    cc_id = CC
    command_id = 0x05
    manufacturer_id: int
    product_type: int
    product_id: int

    def encode_payload(self) -> bytes:
        return b"".join(v.to_bytes(2, "big") for v in (self.manufacturer_id, self.product_type, self.product_id))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 6, "Manufacturer Specific Report")
        return cls(*(int.from_bytes(payload[i : i + 2], "big") for i in (0, 2, 4)))

    def value_updates(self) -> list[ValueUpdate]:
        return [
            ValueUpdate("manufacturer_id", self.manufacturer_id),
            ValueUpdate("product_type", self.product_type),
            ValueUpdate("product_id", self.product_id),
        ]


@register
@dataclass(frozen=True, slots=True)
class ManufacturerSpecificGet(CCCommand):
    cc_id = CC
    command_id = 0x04
    expects = ManufacturerSpecificReport


@register
@dataclass(frozen=True, slots=True)
class DeviceSpecificReport(CCCommand):
    """Report 07 ``[id type (low 3 bits)][b7..5 format | b4..0 length][data]``."""

    cc_id = CC
    command_id = 0x07
    id_type: int
    data_format: int
    data: bytes

    def encode_payload(self) -> bytes:
        return bytes((self.id_type & 0x07, (self.data_format << 5) | (len(self.data) & 0x1F))) + self.data

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 2, "Device Specific Report")
        n = payload[1] & 0x1F
        require(payload, 2 + n, "Device Specific Report data")
        return cls(payload[0] & 0x07, payload[1] >> 5, bytes(payload[2 : 2 + n]))

    @property
    def device_id(self) -> str:
        """UTF-8 ids as text, binary ids as hex."""
        if self.data_format == FORMAT_UTF8:
            return self.data.decode("utf-8", "replace")
        return self.data.hex()

    def value_updates(self) -> list[ValueUpdate]:
        return [ValueUpdate("device_id", self.device_id, self.id_type)]

    def answers(self, get: CCCommand) -> bool:
        return isinstance(get, DeviceSpecificGet) and get.id_type in (self.id_type, ID_FACTORY_DEFAULT)


@register
@dataclass(frozen=True, slots=True)
class DeviceSpecificGet(CCCommand):
    cc_id = CC
    command_id = 0x06
    expects = DeviceSpecificReport
    id_type: int = ID_FACTORY_DEFAULT

    def encode_payload(self) -> bytes:
        return bytes((self.id_type & 0x07,))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Device Specific Get")
        return cls(payload[0] & 0x07)


async def _interview(ctx: CCContext) -> None:
    await ctx.get(ManufacturerSpecificGet())
    if ctx.version >= 2:
        try:
            await ctx.get(DeviceSpecificGet(ID_SERIAL_NUMBER))
        except NodeError:
            pass


INFO = register_cc(CCInfo(CC, "Manufacturer Specific", 2, interview=_interview, interview_order=1))
