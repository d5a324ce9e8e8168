"""Binary Sensor CC (0x30), v2.

Value: ``state`` (bool) keyed by the sensor type name (``door_window``, ``motion``...; ``any`` for
v1 reports), meta ``{"sensor_type": n}``.  The interview stores the static
``supported_sensor_types`` (list of type ids, v2).

SupportedGet 01; Get 02 ``[type (v2), 0xFF = any]``; Report 03 ``[0x00/0xFF][type (v2)]``;
SupportedReport 04 ``[bitmask, bit n = type n]``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Self

from ..errors import NodeError
from ..values import ValueUpdate
from .base import CCCommand, CCContext, CCInfo, register, register_cc
from .ids import CommandClass
from .primitives import bitmask_to_set, require, set_to_bitmask


class SensorBinaryValue(StrEnum):
    """Value names of Binary Sensor (``state`` keyed by sensor type name)."""

    STATE = "state"


CC = CommandClass.SENSOR_BINARY

ANY = 0xFF

#: Sensor type id -> property key (docs/values.md).
SENSOR_TYPES: dict[int, str] = {
    0x01: "general",
    0x02: "smoke",
    0x03: "co",
    0x04: "co2",
    0x05: "heat",
    0x06: "water",
    0x07: "freeze",
    0x08: "tamper",
    0x09: "aux",
    0x0A: "door_window",
    0x0B: "tilt",
    0x0C: "motion",
    0x0D: "glass_break",
    ANY: "any",
}


def sensor_type_name(sensor_type: int) -> str:
    """Property key of a sensor type, ``type_<n>`` when unknown."""
    return SENSOR_TYPES.get(sensor_type, f"type_{sensor_type}")


@register
@dataclass(frozen=True, slots=True)
class SensorBinaryReport(CCCommand):
    """A sensor state; ``sensor_type`` is None in a v1 report (no type byte)."""

    cc_id = CC
    command_id = 0x03
    state: bool
    sensor_type: int | None = None

    def encode_payload(self) -> bytes:
        out = bytes((0xFF if self.state else 0x00,))
        if self.sensor_type is not None:
            out += bytes((self.sensor_type,))
        return out

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Binary Sensor Report")
        sensor_type = payload[1] if len(payload) >= 2 else None
        return cls(payload[0] != 0x00, sensor_type)

    def value_updates(self) -> list[ValueUpdate]:
        stype = ANY if self.sensor_type is None else self.sensor_type
        return [ValueUpdate(SensorBinaryValue.STATE, self.state, sensor_type_name(stype), meta={"sensor_type": stype})]

    def answers(self, get: CCCommand) -> bool:
        if not isinstance(get, SensorBinaryGet):
            return False
        if get.sensor_type is None or get.sensor_type == ANY or self.sensor_type is None:
            return True
        return get.sensor_type == self.sensor_type


@register
@dataclass(frozen=True, slots=True)
class SensorBinaryGet(CCCommand):
    """Ask for a sensor state; ``sensor_type`` (v2) None sends a v1 Get without a type."""

    cc_id = CC
    command_id = 0x02
    expects = SensorBinaryReport
    sensor_type: int | None = None

    def encode_payload(self) -> bytes:
        return b"" if self.sensor_type is None else bytes((self.sensor_type,))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        return cls(payload[0] if payload else None)


@register
@dataclass(frozen=True, slots=True)
class SensorBinarySupportedReport(CCCommand):
    """Supported sensor types (v2)."""

    cc_id = CC
    command_id = 0x04
    sensor_types: frozenset[int]

    def encode_payload(self) -> bytes:
        return set_to_bitmask(set(self.sensor_types))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Binary Sensor SupportedReport")
        # Bit 0 (type 0) is reserved and ignored.
        return cls(frozenset(t for t in bitmask_to_set(payload) if t != 0))


@register
@dataclass(frozen=True, slots=True)
class SensorBinarySupportedGet(CCCommand):
    """Ask for the supported sensor types (v2)."""

    cc_id = CC
    command_id = 0x01
    expects = SensorBinarySupportedReport


async def _interview(ctx: CCContext) -> None:
    if ctx.version >= 2:
        try:
            report = await ctx.get(SensorBinarySupportedGet())
        except NodeError:
            report = None
        if isinstance(report, SensorBinarySupportedReport) and report.sensor_types:
            ctx.set_static("supported_sensor_types", sorted(report.sensor_types))
    await _refresh(ctx)


async def _refresh(ctx: CCContext) -> None:
    types = ctx.value("supported_sensor_types") if ctx.version >= 2 else None
    if not types:
        await ctx.get(SensorBinaryGet(ANY if ctx.version >= 2 else None))
        return
    for sensor_type in types:
        try:
            await ctx.get(SensorBinaryGet(sensor_type))
        except NodeError:
            continue


INFO = register_cc(CCInfo(CC, "Binary Sensor", 2, interview=_interview, refresh=_refresh))
