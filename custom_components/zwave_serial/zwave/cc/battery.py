"""Battery CC (0x80), v3.

Values: ``level`` (0..100 %; the 0xFF low-battery warning reports 0), ``is_low`` (True on 0xFF);
v2: ``charging_status`` (0 discharging, 1 charging, 2 maintaining), ``rechargeable``, ``backup``,
``overheating``, ``low_fluid``, ``replace_recharge`` (0 no, 1 soon, 2 now), ``disconnected``;
v3: ``low_temperature``.  Health (v2+): ``max_capacity`` (%, None unknown), ``temperature``.

Get 02; Report 03 ``[level][b7..6 charging, b5 rechargeable, b4 backup, b3 overheating,
b2 low fluid, b1 replace now, b0 replace soon][b1 low temperature, b0 disconnected]``;
HealthGet 04; HealthReport 05 ``[max capacity, 0xFF unknown][float-with-scale temperature]``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Self

from ..errors import CCDecodeError, CCEncodeError, NodeError
from ..values import ValueUpdate
from .base import CCCommand, CCContext, CCInfo, register, register_cc
from .ids import CommandClass
from .primitives import decode_float_with_scale, encode_float_with_scale, require


class BatteryValue(StrEnum):
    """Value names of Battery."""

    LEVEL = "level"
    IS_LOW = "is_low"
    CHARGING_STATUS = "charging_status"
    RECHARGEABLE = "rechargeable"
    BACKUP = "backup"
    OVERHEATING = "overheating"
    LOW_FLUID = "low_fluid"
    REPLACE_RECHARGE = "replace_recharge"
    LOW_TEMPERATURE = "low_temperature"
    DISCONNECTED = "disconnected"
    MAX_CAPACITY = "max_capacity"
    TEMPERATURE = "temperature"


CC = CommandClass.BATTERY

LOW_BATTERY = 0xFF

REPLACE_NO = 0
REPLACE_SOON = 1
REPLACE_NOW = 2

_REPLACE_BITS = {REPLACE_NO: 0x00, REPLACE_SOON: 0x01, REPLACE_NOW: 0x02}
#: ``replace_recharge`` -> name.
REPLACE_RECHARGE: dict[int, str] = {REPLACE_NO: "no", REPLACE_SOON: "soon", REPLACE_NOW: "now"}
#: ``charging_status`` -> name.
CHARGING_STATUSES: dict[int, str] = {0: "discharging", 1: "charging", 2: "maintaining"}
#: Health Report temperature scale -> unit.
TEMPERATURE_UNITS = ("°C", "°F")


@dataclass(frozen=True, slots=True)
class BatteryStatus:
    """The v2/v3 status bits of a Battery Report."""

    charging_status: int = 0
    rechargeable: bool = False
    backup: bool = False
    overheating: bool = False
    low_fluid: bool = False
    replace_recharge: int = REPLACE_NO
    low_temperature: bool = False
    disconnected: bool = False

    def to_bytes(self) -> bytes:
        """The two status bytes."""
        if not 0 <= self.charging_status <= 3:
            raise CCEncodeError("Battery: charging status must fit in 2 bits")
        if self.replace_recharge not in _REPLACE_BITS:
            raise CCEncodeError("Battery: replace_recharge must be 0, 1 or 2")
        first = (
            (self.charging_status << 6)
            | (0x20 if self.rechargeable else 0)
            | (0x10 if self.backup else 0)
            | (0x08 if self.overheating else 0)
            | (0x04 if self.low_fluid else 0)
            | _REPLACE_BITS[self.replace_recharge]
        )
        second = (0x02 if self.low_temperature else 0) | (0x01 if self.disconnected else 0)
        return bytes((first, second))

    @classmethod
    def from_bytes(cls, first: int, second: int) -> BatteryStatus:
        """Parse the two status bytes."""
        replace = REPLACE_NOW if first & 0x02 else REPLACE_SOON if first & 0x01 else REPLACE_NO
        return cls(
            charging_status=first >> 6,
            rechargeable=bool(first & 0x20),
            backup=bool(first & 0x10),
            overheating=bool(first & 0x08),
            low_fluid=bool(first & 0x04),
            replace_recharge=replace,
            low_temperature=bool(second & 0x02),
            disconnected=bool(second & 0x01),
        )


@register
@dataclass(frozen=True, slots=True)
class BatteryReport(CCCommand):
    """Battery level (raw byte: 0..100 or 0xFF = low warning) and v2/v3 status."""

    cc_id = CC
    command_id = 0x03
    level: int
    status: BatteryStatus | None = None

    def encode_payload(self) -> bytes:
        if not (0 <= self.level <= 100 or self.level == LOW_BATTERY):
            raise CCEncodeError("Battery: level must be 0..100 or 255")
        out = bytes((self.level,))
        if self.status is not None:
            out += self.status.to_bytes()
        return out

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Battery Report")
        level = payload[0]
        if level > 100 and level != LOW_BATTERY:
            raise CCDecodeError(f"Battery Report: invalid level {level}")
        status = None
        if len(payload) >= 2:
            status = BatteryStatus.from_bytes(payload[1], payload[2] if len(payload) >= 3 else 0)
        return cls(level, status)

    @property
    def is_low(self) -> bool:
        """True for the low-battery warning (level 0xFF)."""
        return self.level == LOW_BATTERY

    def value_updates(self) -> list[ValueUpdate]:
        updates = [
            ValueUpdate(BatteryValue.LEVEL, 0 if self.is_low else self.level, unit="%"),
            ValueUpdate(BatteryValue.IS_LOW, self.is_low),
        ]
        if (s := self.status) is not None:
            updates += [
                ValueUpdate(BatteryValue.CHARGING_STATUS, s.charging_status),
                ValueUpdate(BatteryValue.RECHARGEABLE, s.rechargeable),
                ValueUpdate(BatteryValue.BACKUP, s.backup),
                ValueUpdate(BatteryValue.OVERHEATING, s.overheating),
                ValueUpdate(BatteryValue.LOW_FLUID, s.low_fluid),
                ValueUpdate(BatteryValue.REPLACE_RECHARGE, s.replace_recharge),
                ValueUpdate(BatteryValue.LOW_TEMPERATURE, s.low_temperature),
                ValueUpdate(BatteryValue.DISCONNECTED, s.disconnected),
            ]
        return updates


@register
@dataclass(frozen=True, slots=True)
class BatteryGet(CCCommand):
    """Ask for the battery level."""

    cc_id = CC
    command_id = 0x02
    expects = BatteryReport


@register
@dataclass(frozen=True, slots=True)
class BatteryHealthReport(CCCommand):
    """Maximum capacity (%, None unknown) and battery temperature (None when not given)."""

    cc_id = CC
    command_id = 0x05
    max_capacity: int | None
    temperature: float | None = None
    scale: int = 0
    precision: int | None = None
    size: int | None = None

    def encode_payload(self) -> bytes:
        capacity = 0xFF if self.max_capacity is None else self.max_capacity
        if not 0 <= capacity <= 0xFF:
            raise CCEncodeError("Battery: max capacity must be a byte")
        if self.temperature is None:
            return bytes((capacity, 0x00))  # precision, scale and size 0: no temperature
        return bytes((capacity,)) + encode_float_with_scale(
            self.temperature, self.scale, self.precision, self.size
        )

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 2, "Battery HealthReport")
        capacity = None if payload[0] == 0xFF else payload[0]
        if payload[1] & 0x07 == 0:
            return cls(capacity)
        temperature, scale, precision, size = decode_float_with_scale(payload, 1)
        return cls(capacity, temperature, scale, precision, size)

    def value_updates(self) -> list[ValueUpdate]:
        updates = [ValueUpdate(BatteryValue.MAX_CAPACITY, self.max_capacity, unit="%")]
        if self.temperature is not None:
            unit = TEMPERATURE_UNITS[self.scale] if self.scale < len(TEMPERATURE_UNITS) else None
            updates.append(
                ValueUpdate(BatteryValue.TEMPERATURE, self.temperature, unit=unit, meta={"scale": self.scale})
            )
        return updates


@register
@dataclass(frozen=True, slots=True)
class BatteryHealthGet(CCCommand):
    """Ask for the battery health (v2+)."""

    cc_id = CC
    command_id = 0x04
    expects = BatteryHealthReport


async def _refresh(ctx: CCContext) -> None:
    await ctx.get(BatteryGet())
    if ctx.version >= 2:
        try:
            await ctx.get(BatteryHealthGet())
        except NodeError:
            pass  # optional; many devices do not answer it


INFO = register_cc(CCInfo(CC, "Battery", 3, interview=_refresh))
