"""Binary Switch CC (0x25), v2.  Values: ``current_value``, ``target_value`` (bool), ``duration`` (s).

Set ``[0x00/0xFF][duration (v2)]``; Get; Report ``[current][target (v2)][duration (v2)]``.
"""

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
    decode_binary,
    decode_duration,
    decode_set_duration,
    encode_duration,
    encode_optional_duration,
    encode_report_duration,
    require,
)

CC = CommandClass.SWITCH_BINARY


def _binary_byte(value: bool | None) -> int:
    """bool -> 0xFF/0x00, None (unknown) -> 0xFE."""
    if value is None:
        return 0xFE
    return 0xFF if value else 0x00


@register
@dataclass(frozen=True, slots=True)
class SwitchBinarySet(CCCommand):
    """Turn the switch on/off; ``duration`` (v2) in seconds, None = device default / omitted."""

    cc_id = CC
    command_id = 0x01
    target_value: bool
    duration: float | None = None
    #: Whether the duration byte is sent (v2 devices); decoded Sets keep what was on the wire.
    include_duration: bool = False

    def encode_payload(self) -> bytes:
        return bytes((0xFF if self.target_value else 0x00,)) + encode_optional_duration(self.duration, self.include_duration)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Binary Switch Set")
        target = payload[0] != 0x00
        if len(payload) >= 2:
            return cls(target, decode_set_duration(payload[1]), include_duration=True)
        return cls(target)

    def value_updates(self) -> list[ValueUpdate]:
        # A device controlling the hub through an association reports its state this way.
        return [ValueUpdate(SwitchValue.CURRENT_VALUE, self.target_value)]


@register
@dataclass(frozen=True, slots=True)
class SwitchBinaryReport(CCCommand):
    """Current state; v2 adds target value and remaining duration."""

    cc_id = CC
    command_id = 0x03
    current_value: bool | None
    target_value: bool | None = None
    duration: float | None = None
    #: True when the v2 fields (target, duration) are present.
    has_target: bool = False

    def encode_payload(self) -> bytes:
        out = bytes((_binary_byte(self.current_value),))
        if self.has_target:
            out += bytes((_binary_byte(self.target_value), encode_report_duration(self.duration)))
        return out

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Binary Switch Report")
        current = decode_binary(payload[0])
        if len(payload) >= 3:
            return cls(current, decode_binary(payload[1]), decode_duration(payload[2]), has_target=True)
        return cls(current)

    def value_updates(self) -> list[ValueUpdate]:
        return current_target_updates(self.current_value, self.target_value, self.duration, self.has_target)


@register
@dataclass(frozen=True, slots=True)
class SwitchBinaryGet(CCCommand):
    """Ask for the current state."""

    cc_id = CC
    command_id = 0x02
    expects = SwitchBinaryReport


async def _refresh(ctx: CCContext) -> None:
    await ctx.get(SwitchBinaryGet())


def _set_value(prop: str, value: Any, key: Any, options: dict[str, Any], version: int) -> CCCommand:
    if prop != SwitchValue.TARGET_VALUE:
        raise CCEncodeError(f"Binary Switch: property {prop!r} is not writable")
    if isinstance(value, int) and not isinstance(value, bool) and value in (0, 0xFF):
        value = value == 0xFF
    if not isinstance(value, bool):
        raise CCEncodeError("Binary Switch: target_value must be a bool")
    duration = options.get("duration")
    if duration is not None and not isinstance(duration, int | float):
        raise CCEncodeError("Binary Switch: duration must be a number of seconds")
    if version >= 2 and duration is not None:
        encode_duration(duration)  # validate now rather than at send time
        return SwitchBinarySet(value, duration, include_duration=True)
    return SwitchBinarySet(value)


INFO = register_cc(CCInfo(CC, "Binary Switch", 2, interview=_refresh, set_value=_set_value))
