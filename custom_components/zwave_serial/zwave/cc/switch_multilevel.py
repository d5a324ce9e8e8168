"""Multilevel Switch CC (0x26), v4.

Values: ``current_value``, ``target_value`` (0..99 or None), ``duration`` (s); the interview also
stores the static ``switch_type`` (primary switch type, v3+).

Set ``[level][duration (v2+)]``; Get; Report ``[current][target (v4)][duration (v4)]``;
StartLevelChange ``[b6 down, b5 ignore start level][start level][duration (v2+)]``;
StopLevelChange; SupportedGet; SupportedReport ``[primary type (5 bits)][secondary type]``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Self

from ..errors import CCEncodeError, NodeError
from ..values import ValueUpdate
from .base import CCCommand, CCContext, CCInfo, register, register_cc
from .ids import CommandClass
from .primitives import (
    UNKNOWN_LEVEL,
    SwitchValue,
    current_target_updates,
    decode_duration,
    decode_level,
    decode_set_duration,
    encode_duration,
    encode_optional_duration,
    encode_report_duration,
    require,
)

CC = CommandClass.SWITCH_MULTILEVEL

#: Primary switch types (SupportedReport): id -> (down label, up label).
SWITCH_TYPES: dict[int, tuple[str, str]] = {
    0x00: ("down", "up"),  # not supported / undefined
    0x01: ("off", "on"),
    0x02: ("down", "up"),
    0x03: ("close", "open"),
    0x04: ("counter_clockwise", "clockwise"),
    0x05: ("left", "right"),
    0x06: ("reverse", "forward"),
    0x07: ("pull", "push"),
}


def _level_byte(level: int | None) -> int:
    return UNKNOWN_LEVEL if level is None else level


@register
@dataclass(frozen=True, slots=True)
class SwitchMultilevelSet(CCCommand):
    """Set the level (0..99, 0xFF = restore last level); ``duration`` (v2+) in seconds."""

    cc_id = CC
    command_id = 0x01
    value: int
    duration: float | None = None
    #: Whether the duration byte is sent (None then means device default, 0xFF).
    include_duration: bool = False

    def encode_payload(self) -> bytes:
        return bytes((self.value,)) + encode_optional_duration(self.duration, self.include_duration)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Multilevel Switch Set")
        if len(payload) >= 2:
            return cls(payload[0], decode_set_duration(payload[1]), include_duration=True)
        return cls(payload[0])


@register
@dataclass(frozen=True, slots=True)
class SwitchMultilevelReport(CCCommand):
    """Current level; v4 adds target level and remaining duration."""

    cc_id = CC
    command_id = 0x03
    current_value: int | None
    target_value: int | None = None
    duration: float | None = None
    #: True when the v4 fields (target, duration) are present.
    has_target: bool = False

    def encode_payload(self) -> bytes:
        out = bytes((_level_byte(self.current_value),))
        if self.has_target:
            out += bytes((_level_byte(self.target_value), encode_report_duration(self.duration)))
        return out

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Multilevel Switch Report")
        current = decode_level(payload[0])
        if len(payload) >= 3:
            return cls(current, decode_level(payload[1]), decode_duration(payload[2]), has_target=True)
        return cls(current)

    def value_updates(self) -> list[ValueUpdate]:
        return current_target_updates(self.current_value, self.target_value, self.duration, self.has_target)


@register
@dataclass(frozen=True, slots=True)
class SwitchMultilevelGet(CCCommand):
    """Ask for the current level."""

    cc_id = CC
    command_id = 0x02
    expects = SwitchMultilevelReport


@register
@dataclass(frozen=True, slots=True)
class SwitchMultilevelStartLevelChange(CCCommand):
    """Start dimming up or down (until StopLevelChange or the end of the range)."""

    cc_id = CC
    command_id = 0x04
    down: bool
    start_level: int = 0
    ignore_start_level: bool = True
    duration: float | None = None
    #: Whether the duration byte (v2+) is sent.
    include_duration: bool = False

    def encode_payload(self) -> bytes:
        if not 0 <= self.start_level <= 0xFF:
            raise CCEncodeError("Multilevel Switch: start level must be a byte")
        flags = (0x40 if self.down else 0) | (0x20 if self.ignore_start_level else 0)
        out = bytes((flags, self.start_level))
        return out + encode_optional_duration(self.duration, self.include_duration)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 2, "Multilevel Switch StartLevelChange")
        down = bool(payload[0] & 0x40)
        ignore = bool(payload[0] & 0x20)
        if len(payload) >= 3:
            return cls(down, payload[1], ignore, decode_set_duration(payload[2]), include_duration=True)
        return cls(down, payload[1], ignore)


@register
@dataclass(frozen=True, slots=True)
class SwitchMultilevelStopLevelChange(CCCommand):
    """Stop a level change started with StartLevelChange."""

    cc_id = CC
    command_id = 0x05


@register
@dataclass(frozen=True, slots=True)
class SwitchMultilevelSupportedReport(CCCommand):
    """The primary (and secondary, deprecated) switch type (v3+)."""

    cc_id = CC
    command_id = 0x07
    primary_type: int
    secondary_type: int = 0

    def encode_payload(self) -> bytes:
        return bytes((self.primary_type & 0x1F, self.secondary_type & 0x1F))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Multilevel Switch SupportedReport")
        secondary = payload[1] & 0x1F if len(payload) >= 2 else 0
        return cls(payload[0] & 0x1F, secondary)


@register
@dataclass(frozen=True, slots=True)
class SwitchMultilevelSupportedGet(CCCommand):
    """Ask for the switch type (v3+)."""

    cc_id = CC
    command_id = 0x06
    expects = SwitchMultilevelSupportedReport


async def _interview(ctx: CCContext) -> None:
    if ctx.version >= 3:
        try:
            report = await ctx.get(SwitchMultilevelSupportedGet())
        except NodeError:
            pass  # optional: the level is what matters
        else:
            if isinstance(report, SwitchMultilevelSupportedReport):
                ctx.set_static("switch_type", report.primary_type)
    await _refresh(ctx)


async def _refresh(ctx: CCContext) -> None:
    await ctx.get(SwitchMultilevelGet())


def _set_value(prop: str, value: Any, key: Any, options: dict[str, Any], version: int) -> CCCommand:
    if prop != SwitchValue.TARGET_VALUE:
        raise CCEncodeError(f"Multilevel Switch: property {prop!r} is not writable")
    if isinstance(value, bool):
        value = 0xFF if value else 0x00
    if not isinstance(value, int) or not (0 <= value <= 99 or value == 0xFF):
        raise CCEncodeError("Multilevel Switch: target_value must be 0..99 or 255")
    duration = options.get("duration")
    if duration is not None and not isinstance(duration, int | float):
        raise CCEncodeError("Multilevel Switch: duration must be a number of seconds")
    if version >= 2 and duration is not None:
        encode_duration(duration)  # validate now rather than at send time
        return SwitchMultilevelSet(value, duration, include_duration=True)
    return SwitchMultilevelSet(value)


INFO = register_cc(
    CCInfo(CC, "Multilevel Switch", 4, interview=_interview, refresh=_refresh, set_value=_set_value)
)
