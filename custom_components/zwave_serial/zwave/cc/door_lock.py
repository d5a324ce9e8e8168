"""Door Lock CC (0x62), v1-v4.

Values (docs/values.md): ``current_mode``, ``target_mode`` (v3+), ``duration``,
``outside_handles_enabled``/``inside_handles_enabled`` (4 bools each), ``door_closed``,
``bolt_locked``, ``latch_closed``, ``lock_timeout`` (s) from the Operation Report;
``operation_type``, ``lock_timeout_configuration``, ``configured_outside_handles`` /
``configured_inside_handles`` (4 bools each), ``auto_relock_time``,
``hold_and_release_time``, ``twist_assist``, ``block_to_block`` from the Configuration Report.
The interview stores capabilities as static values (``supported_modes``, ``door_supported``,
``bolt_supported``, ``latch_supported``...).  Writable: ``target_mode`` (int mode, or bool).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Any, Self

from ..errors import CCEncodeError, NodeError
from ..values import ValueUpdate
from .base import CCCommand, CCContext, CCInfo, register, register_cc
from .ids import CommandClass
from .primitives import bitmask_to_set, decode_duration, encode_report_duration, require, set_to_bitmask


class DoorLockValue(StrEnum):
    """Value names of Door Lock (the lock entity uses CURRENT_MODE / TARGET_MODE)."""

    CURRENT_MODE = "current_mode"
    TARGET_MODE = "target_mode"
    DURATION = "duration"
    OUTSIDE_HANDLES_ENABLED = "outside_handles_enabled"
    INSIDE_HANDLES_ENABLED = "inside_handles_enabled"
    DOOR_CLOSED = "door_closed"
    BOLT_LOCKED = "bolt_locked"
    LATCH_CLOSED = "latch_closed"
    LOCK_TIMEOUT = "lock_timeout"
    OPERATION_TYPE = "operation_type"
    LOCK_TIMEOUT_CONFIGURATION = "lock_timeout_configuration"
    AUTO_RELOCK_TIME = "auto_relock_time"
    HOLD_AND_RELEASE_TIME = "hold_and_release_time"
    TWIST_ASSIST = "twist_assist"
    BLOCK_TO_BLOCK = "block_to_block"
    CONFIGURED_OUTSIDE_HANDLES = "configured_outside_handles"
    CONFIGURED_INSIDE_HANDLES = "configured_inside_handles"


CC = CommandClass.DOOR_LOCK


class DoorLockMode(IntEnum):
    UNSECURED = 0x00
    UNSECURED_WITH_TIMEOUT = 0x01
    INSIDE_UNSECURED = 0x10
    INSIDE_UNSECURED_WITH_TIMEOUT = 0x11
    OUTSIDE_UNSECURED = 0x20
    OUTSIDE_UNSECURED_WITH_TIMEOUT = 0x21
    UNKNOWN = 0xFE
    SECURED = 0xFF


class OperationType(IntEnum):
    CONSTANT = 0x01
    TIMED = 0x02


SETTABLE_MODES = frozenset(m for m in DoorLockMode if m is not DoorLockMode.UNKNOWN)
_NO_TIMEOUT = 0xFE
Handles = tuple[bool, bool, bool, bool]
_NONE: Handles = (False, False, False, False)


def _decode_handles(byte: int) -> tuple[Handles, Handles]:
    """``[outside bits 7..4 | inside bits 3..0]`` -> (outside, inside), handle 1 first."""
    outside = tuple(bool(byte & (0x10 << i)) for i in range(4))
    inside = tuple(bool(byte & (0x01 << i)) for i in range(4))
    return outside, inside  # type: ignore[return-value]


def _encode_handles(outside: Handles | tuple[bool, ...], inside: Handles | tuple[bool, ...]) -> int:
    return sum(0x10 << i for i, on in enumerate(outside[:4]) if on) | sum(1 << i for i, on in enumerate(inside[:4]) if on)


def _decode_timeout(minutes: int, seconds: int) -> int | None:
    """Timeout bytes -> seconds; 0xFE (no timeout) or out-of-range values -> None."""
    if minutes <= 0xFD and seconds <= 59:
        return minutes * 60 + seconds
    return None


def _encode_timeout(seconds: int | None) -> bytes:
    if seconds is None:
        return bytes((_NO_TIMEOUT, _NO_TIMEOUT))
    if not 0 <= seconds <= 0xFD * 60 + 59:
        raise CCEncodeError("Door Lock: lock timeout out of range")
    return bytes(divmod(int(seconds), 60))


@register
@dataclass(frozen=True, slots=True)
class DoorLockOperationSet(CCCommand):
    cc_id = CC
    command_id = 0x01
    mode: int

    def encode_payload(self) -> bytes:
        return bytes((self.mode,))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Door Lock Operation Set")
        return cls(payload[0])


@register
@dataclass(frozen=True, slots=True)
class DoorLockOperationReport(CCCommand):
    """``[mode][out|in handles][condition][timeout min][timeout s][target (v3)][duration (v3)]``."""

    cc_id = CC
    command_id = 0x03
    current_mode: int
    outside_handles: Handles = _NONE
    inside_handles: Handles = _NONE
    door_closed: bool = False
    bolt_locked: bool = False
    latch_closed: bool = False
    lock_timeout: int | None = None
    target_mode: int | None = None
    duration: float | None = None

    def encode_payload(self) -> bytes:
        condition = (1 if self.door_closed else 0) | (0 if self.bolt_locked else 2) | (4 if self.latch_closed else 0)
        out = bytes((self.current_mode, _encode_handles(self.outside_handles, self.inside_handles), condition))
        out += _encode_timeout(self.lock_timeout)
        if self.target_mode is not None:
            out += bytes((self.target_mode, encode_report_duration(self.duration)))
        return out

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 5, "Door Lock Operation Report")
        outside, inside = _decode_handles(payload[1])
        condition = payload[2]
        target = duration = None
        if len(payload) >= 7:
            target, duration = payload[5], decode_duration(payload[6])
        return cls(
            payload[0], outside, inside,
            door_closed=bool(condition & 1), bolt_locked=not condition & 2, latch_closed=bool(condition & 4),
            lock_timeout=_decode_timeout(payload[3], payload[4]), target_mode=target, duration=duration,
        )

    def value_updates(self) -> list[ValueUpdate]:
        updates = [
            ValueUpdate(DoorLockValue.CURRENT_MODE, self.current_mode),
            ValueUpdate(DoorLockValue.OUTSIDE_HANDLES_ENABLED, list(self.outside_handles)),
            ValueUpdate(DoorLockValue.INSIDE_HANDLES_ENABLED, list(self.inside_handles)),
            # Whether the lock has these sensors: see the static *_supported values (v4).
            ValueUpdate(DoorLockValue.DOOR_CLOSED, self.door_closed),
            ValueUpdate(DoorLockValue.BOLT_LOCKED, self.bolt_locked),
            ValueUpdate(DoorLockValue.LATCH_CLOSED, self.latch_closed),
            ValueUpdate(DoorLockValue.LOCK_TIMEOUT, self.lock_timeout, unit="s"),
        ]
        if self.target_mode is not None:
            updates.append(ValueUpdate(DoorLockValue.TARGET_MODE, self.target_mode))
            updates.append(ValueUpdate(DoorLockValue.DURATION, self.duration, unit="s"))
        return updates


@register
@dataclass(frozen=True, slots=True)
class DoorLockOperationGet(CCCommand):
    cc_id = CC
    command_id = 0x02
    expects = DoorLockOperationReport


@dataclass(frozen=True, slots=True)
class _Configuration(CCCommand):
    """Shared layout of Configuration Set 04 / Report 06:
    ``[op type][out|in handles][timeout min][timeout s]`` + v4
    ``[auto-relock u16][hold-and-release u16][b0 twist assist, b1 block-to-block]``."""

    operation_type: int
    outside_handles: Handles = _NONE
    inside_handles: Handles = _NONE
    lock_timeout: int | None = None
    auto_relock_time: int | None = None
    hold_and_release_time: int | None = None
    twist_assist: bool | None = None
    block_to_block: bool | None = None

    @property
    def has_v4_fields(self) -> bool:
        return self.auto_relock_time is not None

    def encode_payload(self) -> bytes:
        timeout = self.lock_timeout if self.operation_type == OperationType.TIMED else None
        out = bytes((self.operation_type, _encode_handles(self.outside_handles, self.inside_handles)))
        out += _encode_timeout(timeout)
        if self.has_v4_fields:
            for secs in (self.auto_relock_time or 0, self.hold_and_release_time or 0):
                if not 0 <= secs <= 0xFFFF:
                    raise CCEncodeError("Door Lock: auto-relock / hold-and-release time must be 0..65535 s")
                out += int(secs).to_bytes(2, "big")
            out += bytes(((1 if self.twist_assist else 0) | (2 if self.block_to_block else 0),))
        return out

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 4, "Door Lock Configuration")
        outside, inside = _decode_handles(payload[1])
        timeout = _decode_timeout(payload[2], payload[3]) if payload[0] == OperationType.TIMED else None
        if len(payload) >= 9:
            return cls(
                payload[0], outside, inside, timeout,
                int.from_bytes(payload[4:6], "big"), int.from_bytes(payload[6:8], "big"),
                bool(payload[8] & 1), bool(payload[8] & 2),
            )
        return cls(payload[0], outside, inside, timeout)


@register
@dataclass(frozen=True, slots=True)
class DoorLockConfigurationSet(_Configuration):
    """zwave-js sends all 9 bytes to v4 locks and the 4-byte form to older ones."""

    cc_id = CC
    command_id = 0x04


@register
@dataclass(frozen=True, slots=True)
class DoorLockConfigurationReport(_Configuration):
    cc_id = CC
    command_id = 0x06

    def value_updates(self) -> list[ValueUpdate]:
        updates = [
            ValueUpdate(DoorLockValue.OPERATION_TYPE, self.operation_type),
            ValueUpdate(DoorLockValue.LOCK_TIMEOUT_CONFIGURATION, self.lock_timeout, unit="s"),
            ValueUpdate(DoorLockValue.CONFIGURED_OUTSIDE_HANDLES, list(self.outside_handles)),
            ValueUpdate(DoorLockValue.CONFIGURED_INSIDE_HANDLES, list(self.inside_handles)),
        ]
        if self.has_v4_fields:
            updates += [
                ValueUpdate(DoorLockValue.AUTO_RELOCK_TIME, self.auto_relock_time, unit="s"),
                ValueUpdate(DoorLockValue.HOLD_AND_RELEASE_TIME, self.hold_and_release_time, unit="s"),
                ValueUpdate(DoorLockValue.TWIST_ASSIST, self.twist_assist),
                ValueUpdate(DoorLockValue.BLOCK_TO_BLOCK, self.block_to_block),
            ]
        return updates


@register
@dataclass(frozen=True, slots=True)
class DoorLockConfigurationGet(CCCommand):
    cc_id = CC
    command_id = 0x05
    expects = DoorLockConfigurationReport


@register
@dataclass(frozen=True, slots=True)
class DoorLockCapabilitiesReport(CCCommand):
    """``[n][op type bitmask][m][modes][out|in handles][b0 door,b1 bolt,b2 latch]``
    ``[b0 block-to-block, b1 twist assist, b2 hold-and-release, b3 auto-relock]``."""

    cc_id = CC
    command_id = 0x08
    operation_types: tuple[int, ...]
    modes: tuple[int, ...]
    outside_handles: Handles = _NONE
    inside_handles: Handles = _NONE
    door_supported: bool = False
    bolt_supported: bool = False
    latch_supported: bool = False
    block_to_block_supported: bool = False
    twist_assist_supported: bool = False
    hold_and_release_supported: bool = False
    auto_relock_supported: bool = False

    def encode_payload(self) -> bytes:
        mask = set_to_bitmask(set(self.operation_types))
        out = bytes((len(mask),)) + mask + bytes((len(self.modes),)) + bytes(self.modes)
        sensors = (1 if self.door_supported else 0) | (2 if self.bolt_supported else 0) | (4 if self.latch_supported else 0)
        features = (
            (1 if self.block_to_block_supported else 0) | (2 if self.twist_assist_supported else 0)
            | (4 if self.hold_and_release_supported else 0) | (8 if self.auto_relock_supported else 0)
        )
        return out + bytes((_encode_handles(self.outside_handles, self.inside_handles), sensors, features))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Door Lock Capabilities Report")
        n = payload[0] & 0x1F
        require(payload, 2 + n, "Door Lock Capabilities Report operation types")
        types = tuple(sorted(bitmask_to_set(payload[1 : 1 + n]) - {0}))
        offset = 1 + n
        m = payload[offset]
        offset += 1
        require(payload, offset + m + 3, "Door Lock Capabilities Report modes")
        modes = tuple(payload[offset : offset + m])
        offset += m
        outside, inside = _decode_handles(payload[offset])
        sensors, features = payload[offset + 1], payload[offset + 2]
        return cls(
            types, modes, outside, inside,
            bool(sensors & 1), bool(sensors & 2), bool(sensors & 4),
            bool(features & 1), bool(features & 2), bool(features & 4), bool(features & 8),
        )


@register
@dataclass(frozen=True, slots=True)
class DoorLockCapabilitiesGet(CCCommand):
    cc_id = CC
    command_id = 0x07
    expects = DoorLockCapabilitiesReport


async def _interview(ctx: CCContext) -> None:
    """v4: capabilities; then the operation state and the configuration."""
    if ctx.version >= 4:
        try:
            caps = await ctx.get(DoorLockCapabilitiesGet())
        except NodeError:
            caps = None
        if isinstance(caps, DoorLockCapabilitiesReport):
            ctx.set_static("supported_modes", list(caps.modes))
            ctx.set_static("supported_operation_types", list(caps.operation_types))
            for name in ("door_supported", "bolt_supported", "latch_supported", "block_to_block_supported",
                         "twist_assist_supported", "hold_and_release_supported", "auto_relock_supported"):
                ctx.set_static(name, getattr(caps, name))
    await _refresh(ctx)
    try:
        await ctx.get(DoorLockConfigurationGet())
    except NodeError:
        pass


async def _refresh(ctx: CCContext) -> None:
    await ctx.get(DoorLockOperationGet())


def _set_value(prop: str, value: Any, key: Any, options: dict[str, Any], version: int) -> CCCommand:
    if prop != DoorLockValue.TARGET_MODE:
        raise CCEncodeError(f"Door Lock: property {prop!r} is not writable")
    if isinstance(value, bool):
        value = DoorLockMode.SECURED if value else DoorLockMode.UNSECURED
    if not isinstance(value, int) or value not in SETTABLE_MODES:
        raise CCEncodeError("Door Lock: target_mode must be a door lock mode (0x00..0x21 or 0xFF)")
    return DoorLockOperationSet(int(value))


INFO = register_cc(CCInfo(CC, "Door Lock", 4, interview=_interview, refresh=_refresh, set_value=_set_value,
                          interview_order=40))
