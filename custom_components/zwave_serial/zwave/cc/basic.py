"""Basic CC (0x20), v2.  Values: ``current_value``, ``target_value`` (0..99), ``duration`` (s)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Self

from ..errors import CCEncodeError
from ..values import ValueUpdate
from .base import CCCommand, CCContext, CCInfo, register, register_cc
from .ids import CommandClass
from .primitives import (
    SwitchValue,
    current_target_updates,
    decode_duration,
    decode_level,
    encode_report_duration,
    require,
)

CC = CommandClass.BASIC


@register
@dataclass(frozen=True, slots=True)
class BasicSet(CCCommand):
    cc_id = CC
    command_id = 0x01
    value: int

    def encode_payload(self) -> bytes:
        return bytes((self.value,))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Basic Set")
        return cls(payload[0])

    def value_updates(self) -> list[ValueUpdate]:
        # A device that sends Basic Set to the hub (e.g. a sensor with association) reports its state.
        return [ValueUpdate(SwitchValue.CURRENT_VALUE, decode_level(self.value))]


@register
@dataclass(frozen=True, slots=True)
class BasicReport(CCCommand):
    cc_id = CC
    command_id = 0x03
    current_value: int | None
    target_value: int | None = None
    duration: float | None = None

    def encode_payload(self) -> bytes:
        cur = 0xFE if self.current_value is None else self.current_value
        if self.target_value is None:
            return bytes((cur,))
        return bytes((cur, self.target_value, encode_report_duration(self.duration)))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Basic Report")
        current = decode_level(payload[0])
        if len(payload) >= 3:
            return cls(current, decode_level(payload[1]), decode_duration(payload[2]))
        return cls(current)

    def value_updates(self) -> list[ValueUpdate]:
        return current_target_updates(
            self.current_value, self.target_value, self.duration, self.target_value is not None
        )


@register
@dataclass(frozen=True, slots=True)
class BasicGet(CCCommand):
    cc_id = CC
    command_id = 0x02
    expects = BasicReport


async def _refresh(ctx: CCContext) -> None:
    await ctx.get(BasicGet())


def _set_value(prop: str, value: Any, key: Any, options: dict[str, Any], version: int) -> CCCommand:
    if prop != SwitchValue.TARGET_VALUE:
        raise CCEncodeError(f"Basic: property {prop!r} is not writable")
    if isinstance(value, bool):
        value = 0xFF if value else 0x00
    if not isinstance(value, int) or not (0 <= value <= 99 or value == 0xFF):
        raise CCEncodeError("Basic: target_value must be 0..99 or 255")
    return BasicSet(value)


INFO = register_cc(CCInfo(CC, "Basic", 2, interview=_refresh, set_value=_set_value, interview_order=90))
