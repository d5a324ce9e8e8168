"""Meter CC (0x32), v6.

Value: ``value`` keyed ``<meter>_<scale>`` (``electric_kwh``, ``water_m3``...; a ``_produced``
suffix for rate type 2 so that import and export readings do not collide), float, unit from
the scale, meta ``{"meter_type": t, "scale": s, "rate_type": r}``.  The interview (v2+) stores the
static ``meter_type``, ``supported_scales``, ``supported_rate_types`` and ``reset_supported``.

Get 01 ``[rate << 6 | scale1 << 3][scale2 (v4+, scale1 = 7)]``; Report 02 ``[b7 scale bit 2,
b6..5 rate, b4..0 type][float-with-scale][delta time u16][previous value][scale2]``;
SupportedGet 03; SupportedReport 04 ``[b7 reset, b6..5 rate types, b4..0 type][b7 more,
scales][n][more scales]``; Reset 05 (v2+, v6 ``[type byte][float-with-scale][scale2]``).
Scales >= 7 are encoded as scale1 = 7 plus scale2 = scale - 7 (electric kVar, kVarh).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Self

from ..errors import CCDecodeError, CCEncodeError, NodeError
from ..values import ValueUpdate
from .base import CCCommand, CCContext, CCInfo, register, register_cc
from .ids import CommandClass
from .primitives import (
    bitmask_to_set,
    decode_float_with_scale,
    encode_float_with_scale,
    require,
    set_to_bitmask,
)


class MeterValue(StrEnum):
    """Value names of Meter (``value`` keyed by meter type/scale/rate; ``reset`` is writable)."""

    VALUE = "value"
    RESET = "reset"


CC = CommandClass.METER

RATE_UNSPECIFIED = 0
RATE_CONSUMED = 1
RATE_PRODUCED = 2
#: Rate type -> name.
RATE_TYPES: dict[int, str] = {
    RATE_UNSPECIFIED: "unspecified",
    RATE_CONSUMED: "consumed",
    RATE_PRODUCED: "produced",
}
DELTA_UNKNOWN = 0xFFFF

#: Meter type id -> (name, {scale id: (key suffix, unit)}).  Facts: Z-Wave meter registry.
METER_TYPES: dict[int, tuple[str, dict[int, tuple[str, str | None]]]] = {
    0x01: (
        "electric",
        {
            0: ("kwh", "kWh"),
            1: ("kvah", "kVAh"),
            2: ("w", "W"),
            3: ("pulse", None),
            4: ("v", "V"),
            5: ("a", "A"),
            6: ("power_factor", None),
            7: ("kvar", "kVar"),
            8: ("kvarh", "kVarh"),
        },
    ),
    0x02: ("gas", {0: ("m3", "m³"), 1: ("ft3", "ft³"), 3: ("pulse", None)}),
    0x03: ("water", {0: ("m3", "m³"), 1: ("ft3", "ft³"), 2: ("us_gallons", "gal"), 3: ("pulse", None)}),
    0x04: ("heating", {0: ("kwh", "kWh")}),
    0x05: ("cooling", {0: ("kwh", "kWh")}),
}


def meter_key(meter_type: int, scale: int, rate_type: int = RATE_UNSPECIFIED) -> str:
    """Property key of a reading, e.g. ``electric_kwh`` (``meter_<t>_scale_<s>`` when unknown)."""
    entry = METER_TYPES.get(meter_type)
    name = entry[0] if entry else f"meter_{meter_type}"
    scale_entry = entry[1].get(scale) if entry else None
    key = f"{name}_{scale_entry[0]}" if scale_entry else f"{name}_scale_{scale}"
    return f"{key}_produced" if rate_type == RATE_PRODUCED else key


def meter_unit(meter_type: int, scale: int) -> str | None:
    """Unit of a (meter type, scale); None when unitless or unknown."""
    entry = METER_TYPES.get(meter_type)
    scale_entry = entry[1].get(scale) if entry else None
    return scale_entry[1] if scale_entry else None


def parse_meter_key(key: str) -> tuple[int, int, int]:
    """Inverse of :func:`meter_key` for known meters: -> (meter type, scale, rate type)."""
    rate = RATE_UNSPECIFIED
    if key.endswith("_produced"):
        key, rate = key.removesuffix("_produced"), RATE_PRODUCED
    for meter_type, (name, scales) in METER_TYPES.items():
        for scale, (suffix, _unit) in scales.items():
            if key == f"{name}_{suffix}":
                return meter_type, scale, rate
    raise CCEncodeError(f"Meter: unknown meter key {key!r}")


def _type_byte(meter_type: int, rate_type: int, scale: int) -> int:
    scale1 = min(scale, 7)
    return ((scale1 >> 2) << 7) | ((rate_type & 0x03) << 5) | (meter_type & 0x1F)


def _shared_encoding(values: tuple[float, ...], precision: int | None) -> tuple[int, int]:
    """(precision, size) that holds every value: value and previous value share them."""
    if precision is None:
        precision = max(encode_float_with_scale(v, 0)[0] >> 5 for v in values)
    return precision, max(encode_float_with_scale(v, 0, precision)[0] & 0x07 for v in values)


def _check_scale(scale: int) -> None:
    if not 0 <= scale <= 7 + 0xFF:
        raise CCEncodeError(f"Meter: scale {scale} out of range")


@register
@dataclass(frozen=True, slots=True)
class MeterReport(CCCommand):
    """A meter reading.

    ``delta_time`` is the seconds since ``previous_value`` (0 = no previous value, 0xFFFF =
    unknown, None = field absent as in v1 reports).
    """

    cc_id = CC
    command_id = 0x02
    meter_type: int
    scale: int
    value: float
    rate_type: int = RATE_UNSPECIFIED
    delta_time: int | None = None
    previous_value: float | None = None
    #: Encoding details; None picks the smallest that holds the value(s).
    precision: int | None = None
    size: int | None = None

    def encode_payload(self) -> bytes:
        _check_scale(self.scale)
        scale1 = min(self.scale, 7)
        precision, size = self.precision, self.size
        if size is None and self.previous_value is not None:
            precision, size = _shared_encoding((self.value, self.previous_value), precision)
        value = encode_float_with_scale(self.value, scale1 & 0x03, precision, size)
        precision, size = value[0] >> 5, value[0] & 0x07
        out = bytes((_type_byte(self.meter_type, self.rate_type, self.scale),)) + value
        delta = self.delta_time
        if delta is None and scale1 == 7:
            delta = 0  # scale2 sits after the delta time field
        if delta is not None:
            if not 0 <= delta <= 0xFFFF:
                raise CCEncodeError("Meter: delta time must fit in 16 bits")
            out += delta.to_bytes(2, "big")
            if delta != 0 and self.previous_value is not None:
                out += encode_float_with_scale(self.previous_value, 0, precision, size)[1:]
        if scale1 == 7:
            out += bytes((self.scale - 7,))
        return out

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 2, "Meter Report")
        meter_type = payload[0] & 0x1F
        rate_type = (payload[0] >> 5) & 0x03
        value, scale_low, precision, size = decode_float_with_scale(payload, 1)
        scale1 = ((payload[0] >> 7) << 2) | scale_low
        offset = 2 + size
        delta: int | None = None
        previous: float | None = None
        if len(payload) >= offset + 2:
            delta = int.from_bytes(payload[offset : offset + 2], "big")
            offset += 2
            # With scale1 = 7 the last byte is scale2, not part of a previous value.
            tail = 1 if scale1 == 7 else 0
            if delta != 0 and len(payload) >= offset + size + tail:
                raw = int.from_bytes(payload[offset : offset + size], "big", signed=True)
                previous = raw / 10**precision if precision else float(raw)
                offset += size
        scale = scale1
        if scale1 == 7 and len(payload) > offset:
            scale = 7 + payload[offset]  # scale2 (v4+); absent means kVar-style scale 7
        return cls(meter_type, scale, value, rate_type, delta, previous, precision, size)

    def value_updates(self) -> list[ValueUpdate]:
        return [
            ValueUpdate(
                MeterValue.VALUE,
                self.value,
                meter_key(self.meter_type, self.scale, self.rate_type),
                unit=meter_unit(self.meter_type, self.scale),
                meta={"meter_type": self.meter_type, "scale": self.scale, "rate_type": self.rate_type},
            )
        ]

    def answers(self, get: CCCommand) -> bool:
        if not isinstance(get, MeterGet):
            return False
        if get.scale is not None and get.scale != self.scale:
            return False
        return get.rate_type in (None, RATE_UNSPECIFIED) or get.rate_type == self.rate_type


@register
@dataclass(frozen=True, slots=True)
class MeterGet(CCCommand):
    """Ask for a reading; ``scale`` (v2+) and ``rate_type`` (v4+) None send the v1 Get."""

    cc_id = CC
    command_id = 0x01
    expects = MeterReport
    scale: int | None = None
    rate_type: int | None = None

    def encode_payload(self) -> bytes:
        if self.scale is None and self.rate_type is None:
            return b""
        scale = self.scale or 0
        _check_scale(scale)
        first = ((self.rate_type or 0) & 0x03) << 6 | min(scale, 7) << 3
        if scale >= 7:
            return bytes((first, scale - 7))
        return bytes((first,))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        if not payload:
            return cls()
        rate_type = (payload[0] >> 6) & 0x03
        scale = (payload[0] >> 3) & 0x07
        if scale == 7 and len(payload) >= 2:
            scale += payload[1]
        return cls(scale, rate_type)


@register
@dataclass(frozen=True, slots=True)
class MeterSupportedReport(CCCommand):
    """The meter type, its supported scales and rate types, and whether Reset is supported."""

    cc_id = CC
    command_id = 0x04
    meter_type: int
    scales: frozenset[int]
    supports_reset: bool = False
    rate_types: frozenset[int] = frozenset()

    def encode_payload(self) -> bytes:
        rate_bits = sum(1 << (r - 1) for r in self.rate_types if r in (1, 2))
        first = (0x80 if self.supports_reset else 0) | (rate_bits << 5) | (self.meter_type & 0x1F)
        low = set_to_bitmask({s for s in self.scales if s < 7}, length=1)[0]
        high = {s - 7 for s in self.scales if s >= 7}
        if not high:
            return bytes((first, low))
        extra = set_to_bitmask(high)
        return bytes((first, 0x80 | low, len(extra))) + extra

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 2, "Meter SupportedReport")
        scales = bitmask_to_set(bytes((payload[1] & 0x7F,)))
        if payload[1] & 0x80:
            require(payload, 3, "Meter SupportedReport")
            count = payload[2]
            require(payload, 3 + count, "Meter SupportedReport scales")
            scales |= bitmask_to_set(payload[3 : 3 + count], start=7)
        rate_types = bitmask_to_set(bytes(((payload[0] >> 5) & 0x03,)), start=1)
        return cls(payload[0] & 0x1F, frozenset(scales), bool(payload[0] & 0x80), frozenset(rate_types))


@register
@dataclass(frozen=True, slots=True)
class MeterSupportedGet(CCCommand):
    """Ask for the meter's capabilities (v2+)."""

    cc_id = CC
    command_id = 0x03
    expects = MeterSupportedReport


@register
@dataclass(frozen=True, slots=True)
class MeterReset(CCCommand):
    """Reset accumulated values (v2+); v6 can target one type/scale/rate and set a value."""

    cc_id = CC
    command_id = 0x05
    meter_type: int | None = None
    scale: int = 0
    rate_type: int = RATE_UNSPECIFIED
    value: float = 0.0

    def encode_payload(self) -> bytes:
        if self.meter_type is None:
            return b""
        _check_scale(self.scale)
        scale1 = min(self.scale, 7)
        out = bytes((_type_byte(self.meter_type, self.rate_type, self.scale),))
        out += encode_float_with_scale(self.value, scale1 & 0x03)
        if scale1 == 7:
            out += bytes((self.scale - 7,))
        return out

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        if not payload:
            return cls()
        require(payload, 2, "Meter Reset")
        value, scale_low, _precision, size = decode_float_with_scale(payload, 1)
        scale = ((payload[0] >> 7) << 2) | scale_low
        if scale == 7:
            if len(payload) < 3 + size:
                raise CCDecodeError("Meter Reset: scale2 missing")
            scale += payload[2 + size]
        return cls(payload[0] & 0x1F, scale, (payload[0] >> 5) & 0x03, value)


async def _interview(ctx: CCContext) -> None:
    if ctx.version >= 2:
        try:
            report = await ctx.get(MeterSupportedGet())
        except NodeError:
            report = None
        if isinstance(report, MeterSupportedReport):
            scales = sorted(s for s in report.scales if ctx.version >= 4 or s < 7)
            ctx.set_static("meter_type", report.meter_type)
            ctx.set_static("supported_scales", scales)
            ctx.set_static("supported_rate_types", sorted(report.rate_types) if ctx.version >= 4 else [])
            ctx.set_static("reset_supported", report.supports_reset)
    await _refresh(ctx)


async def _refresh(ctx: CCContext) -> None:
    scales = ctx.value("supported_scales") if ctx.version >= 2 else None
    if not scales:
        await ctx.get(MeterGet())
        return
    rate_types: list[int | None] = list(ctx.value("supported_rate_types") or []) or [None]
    for rate_type in rate_types:
        for scale in scales:
            try:
                await ctx.get(MeterGet(scale, rate_type))
            except NodeError:
                continue


def _set_value(prop: str, value: Any, key: Any, options: dict[str, Any], version: int) -> CCCommand:
    """``reset``: value True (or a number: the new value, v6) resets all or, with key, one reading."""
    if prop != MeterValue.RESET:
        raise CCEncodeError(f"Meter: property {prop!r} is not writable")
    if version < 2:
        raise CCEncodeError("Meter: Reset needs version 2")
    if key is None:
        return MeterReset()
    if version < 6:
        raise CCEncodeError("Meter: resetting a single reading needs version 6")
    if not isinstance(key, str):
        raise CCEncodeError("Meter: the key of reset is a meter key like 'electric_kwh'")
    meter_type, scale, rate_type = parse_meter_key(key)
    target = 0.0 if value is True or value is None else value
    if isinstance(target, bool) or not isinstance(target, int | float):
        raise CCEncodeError("Meter: reset value must be True or a number")
    command = MeterReset(meter_type, scale, rate_type, float(target))
    command.encode_payload()  # validate now rather than at send time
    return command


INFO = register_cc(CCInfo(CC, "Meter", 6, interview=_interview, refresh=_refresh, set_value=_set_value))
