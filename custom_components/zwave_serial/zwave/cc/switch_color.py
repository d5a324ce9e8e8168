"""Color Switch CC (0x33), v3: colour components of a light, each 0..255.

Values: ``supported_components`` (sorted list of component names), and per component (key =
component name, e.g. ``red``) ``current_color`` and ``target_color`` (v3); ``duration`` (s, v3).
Writable: ``target_color`` with a component key and a level, or without a key and a
``{component: level}`` dict (one Set for all, e.g. an RGB colour); option ``duration`` (v2+).

SupportedGet; SupportedReport ``[bitmask, 2 bytes]`` (bit n = component n); Get
``[component]``; Report ``[component][current]`` (v1-2) ``[component][current][target][duration]``
(v3); Set ``[b4-0 count][(component, value) x count][duration (v2+)]``; StartLevelChange
``[b6 down, b5 ignore start level][component][start level][duration (v3)]``;
StopLevelChange ``[component]``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, Self

from ..errors import CCDecodeError, CCEncodeError, NodeError
from ..values import ValueUpdate
from .base import CCCommand, CCContext, CCInfo, register, register_cc
from .ids import CommandClass
from .primitives import (
    bitmask_to_set,
    decode_duration,
    decode_set_duration,
    encode_duration,
    encode_optional_duration,
    encode_report_duration,
    require,
    set_to_bitmask,
)

CC = CommandClass.SWITCH_COLOR


class ColorComponent(IntEnum):
    """Colour component ids."""

    WARM_WHITE = 0
    COLD_WHITE = 1
    RED = 2
    GREEN = 3
    BLUE = 4
    AMBER = 5
    CYAN = 6
    PURPLE = 7
    INDEX = 8

    @property
    def key(self) -> str:
        """Value key: ``warm_white``, ``red`` ..."""
        return self.name.lower()


COMPONENT_BY_KEY: dict[str, ColorComponent] = {c.key: c for c in ColorComponent}


class ColorSwitchValue:
    """Value names of the Color Switch CC."""

    SUPPORTED_COMPONENTS = "supported_components"
    CURRENT_COLOR = "current_color"
    TARGET_COLOR = "target_color"
    DURATION = "duration"


def _component(value: int) -> ColorComponent:
    try:
        return ColorComponent(value)
    except ValueError:
        raise CCDecodeError(f"Color Switch: unknown colour component {value}") from None


def component_of(key: Any) -> ColorComponent:
    """A component from its name (``red``) or number; CCEncodeError otherwise."""
    if isinstance(key, str) and key in COMPONENT_BY_KEY:
        return COMPONENT_BY_KEY[key]
    if isinstance(key, int) and not isinstance(key, bool) and key in ColorComponent._value2member_map_:
        return ColorComponent(key)
    raise CCEncodeError(f"Color Switch: unknown colour component {key!r}")


@register
@dataclass(frozen=True, slots=True)
class ColorSwitchSupportedReport(CCCommand):
    """The components the device has."""

    cc_id = CC
    command_id = 0x02
    components: frozenset[int]

    def encode_payload(self) -> bytes:
        return set_to_bitmask(set(self.components), 0, 2)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 2, "Color Switch Supported Report")
        return cls(frozenset(bitmask_to_set(payload[:2])))

    def value_updates(self) -> list[ValueUpdate]:
        known = sorted(c for c in self.components if c in ColorComponent._value2member_map_)
        return [ValueUpdate(ColorSwitchValue.SUPPORTED_COMPONENTS, [ColorComponent(c).key for c in known])]


@register
@dataclass(frozen=True, slots=True)
class ColorSwitchSupportedGet(CCCommand):
    """Ask for the components."""

    cc_id = CC
    command_id = 0x01
    expects = ColorSwitchSupportedReport


@register
@dataclass(frozen=True, slots=True)
class ColorSwitchReport(CCCommand):
    """One component's level; v3 adds its target and the remaining duration."""

    cc_id = CC
    command_id = 0x04
    component: ColorComponent
    current_value: int
    target_value: int | None = None
    duration: float | None = None
    #: True when the v3 fields (target, duration) are present.
    has_target: bool = False

    def encode_payload(self) -> bytes:
        out = bytes((self.component, self.current_value))
        if self.has_target:
            target = 0xFE if self.target_value is None else self.target_value
            out += bytes((target, encode_report_duration(self.duration)))
        return out

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 2, "Color Switch Report")
        component = _component(payload[0])
        if len(payload) >= 4:
            return cls(component, payload[1], payload[2], decode_duration(payload[3]), has_target=True)
        return cls(component, payload[1])

    def value_updates(self) -> list[ValueUpdate]:
        key = self.component.key
        updates = [ValueUpdate(ColorSwitchValue.CURRENT_COLOR, self.current_value, key)]
        if self.has_target:
            updates.append(ValueUpdate(ColorSwitchValue.TARGET_COLOR, self.target_value, key))
            updates.append(ValueUpdate(ColorSwitchValue.DURATION, self.duration, unit="s"))
        return updates

    def answers(self, get: CCCommand) -> bool:
        return isinstance(get, ColorSwitchGet) and get.component == self.component


@register
@dataclass(frozen=True, slots=True)
class ColorSwitchGet(CCCommand):
    """Ask for one component's level."""

    cc_id = CC
    command_id = 0x03
    expects = ColorSwitchReport
    component: ColorComponent

    def encode_payload(self) -> bytes:
        return bytes((self.component,))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Color Switch Get")
        return cls(_component(payload[0]))


@register
@dataclass(frozen=True, slots=True)
class ColorSwitchSet(CCCommand):
    """Set components: ``colors`` is ((component, level 0..255), ...); ``duration`` (v2+)."""

    cc_id = CC
    command_id = 0x05
    colors: tuple[tuple[int, int], ...]
    duration: float | None = None
    #: Whether the duration byte is sent (None then means the device default, 0xFF).
    include_duration: bool = False

    def encode_payload(self) -> bytes:
        if not 1 <= len(self.colors) <= 0x1F:
            raise CCEncodeError("Color Switch Set: 1..31 components")
        out = bytearray((len(self.colors),))
        for component, level in self.colors:
            if not (0 <= component <= 0xFF and 0 <= level <= 0xFF):
                raise CCEncodeError("Color Switch Set: component and level must be bytes")
            out += bytes((component, level))
        return bytes(out) + encode_optional_duration(self.duration, self.include_duration)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Color Switch Set")
        count = payload[0] & 0x1F
        if count == 0:
            raise CCDecodeError("Color Switch Set: no component")
        require(payload, 1 + 2 * count, "Color Switch Set components")
        colors = tuple((payload[1 + 2 * i], payload[2 + 2 * i]) for i in range(count))
        if len(payload) > 1 + 2 * count:
            return cls(colors, decode_set_duration(payload[1 + 2 * count]), include_duration=True)
        return cls(colors)


@register
@dataclass(frozen=True, slots=True)
class ColorSwitchStartLevelChange(CCCommand):
    """Start changing one component up or down."""

    cc_id = CC
    command_id = 0x06
    down: bool
    component: ColorComponent
    start_level: int = 0
    ignore_start_level: bool = True
    duration: float | None = None
    #: Whether the duration byte (v3) is sent.
    include_duration: bool = False

    def encode_payload(self) -> bytes:
        if not 0 <= self.start_level <= 0xFF:
            raise CCEncodeError("Color Switch: start level must be a byte")
        flags = (0x40 if self.down else 0) | (0x20 if self.ignore_start_level else 0)
        out = bytes((flags, self.component, self.start_level))
        return out + encode_optional_duration(self.duration, self.include_duration)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 3, "Color Switch StartLevelChange")
        down, ignore = bool(payload[0] & 0x40), bool(payload[0] & 0x20)
        component = _component(payload[1])
        if len(payload) >= 4:
            return cls(down, component, payload[2], ignore, decode_set_duration(payload[3]), include_duration=True)
        return cls(down, component, payload[2], ignore)


@register
@dataclass(frozen=True, slots=True)
class ColorSwitchStopLevelChange(CCCommand):
    """Stop a level change of one component."""

    cc_id = CC
    command_id = 0x07
    component: ColorComponent

    def encode_payload(self) -> bytes:
        return bytes((self.component,))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Color Switch StopLevelChange")
        return cls(_component(payload[0]))


async def _interview(ctx: CCContext) -> None:
    report = await ctx.get(ColorSwitchSupportedGet())
    if isinstance(report, ColorSwitchSupportedReport):
        await _refresh(ctx)


async def _refresh(ctx: CCContext) -> None:
    for key in ctx.value(ColorSwitchValue.SUPPORTED_COMPONENTS) or []:
        if key not in COMPONENT_BY_KEY:
            continue
        try:
            await ctx.get(ColorSwitchGet(COMPONENT_BY_KEY[key]))
        except NodeError:
            continue


def _level(component: ColorComponent, level: Any) -> int:
    if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= 0xFF:
        raise CCEncodeError(f"Color Switch: {component.key} must be 0..255")
    return level


def _set_value(prop: str, value: Any, key: Any, options: dict[str, Any], version: int) -> CCCommand:
    if prop != ColorSwitchValue.TARGET_COLOR:
        raise CCEncodeError(f"Color Switch: property {prop!r} is not writable")
    if key is None:
        if not isinstance(value, Mapping) or not value:
            raise CCEncodeError("Color Switch: target_color without a component needs {component: level}")
        pairs = [(component_of(k), v) for k, v in value.items()]
    else:
        pairs = [(component_of(key), value)]
    colors = tuple((int(c), _level(c, level)) for c, level in pairs)
    duration = options.get("duration")
    if duration is not None and not isinstance(duration, int | float):
        raise CCEncodeError("Color Switch: duration must be a number of seconds")
    if version >= 2 and duration is not None:
        encode_duration(duration)  # validate now rather than at send time
        return ColorSwitchSet(colors, duration, include_duration=True)
    return ColorSwitchSet(colors)


# Before Multilevel Switch (50): a light is discovered with its colour components known.
INFO = register_cc(
    CCInfo(CC, "Color Switch", 3, interview=_interview, refresh=_refresh, set_value=_set_value, interview_order=45)
)
