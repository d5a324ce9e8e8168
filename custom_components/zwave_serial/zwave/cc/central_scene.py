"""Central Scene CC (0x5B), v3: scene buttons of wall controllers and remotes.

Values: ``scene_count``, ``supports_slow_refresh`` and, per scene (key = scene number),
``supported_key_attributes`` (a sorted list of :class:`CentralSceneKey` numbers); v3 also the
writable ``slow_refresh``.  A Notification carries no value: the driver turns it into a
``CentralSceneEvent`` (``zwave/scene_events.py``: duplicates dropped by sequence number, a held
key released when its refreshes stop).

SupportedGet; SupportedReport ``[scene count]`` (v1) or ``[count][b7 slow refresh, b2-1
bitmask bytes, b0 identical][bitmask per scene, or one when identical]`` (v2+, bit n = key
attribute n); Notification ``[sequence][b7 slow refresh, b2-0 key attribute][scene]``;
ConfigurationSet/Report ``[b7 slow refresh]`` and ConfigurationGet (v3).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any, Self

from ..errors import CCEncodeError, NodeError
from ..values import ValueUpdate
from .base import CCCommand, CCContext, CCInfo, register, register_cc
from .ids import CommandClass
from .primitives import bitmask_to_set, require, set_to_bitmask

CC = CommandClass.CENTRAL_SCENE


class CentralSceneKey(IntEnum):
    """Key attributes of a Central Scene Notification."""

    PRESSED = 0x00
    RELEASED = 0x01
    HELD = 0x02
    PRESSED_2X = 0x03
    PRESSED_3X = 0x04
    PRESSED_4X = 0x05
    PRESSED_5X = 0x06

    @property
    def label(self) -> str:
        """Event name: ``pressed``, ``released``, ``held``, ``pressed_2x`` ... ``pressed_5x``."""
        return self.name.lower()


#: What a v1 device (its Supported Report has no key attributes) can send.
V1_KEY_ATTRIBUTES = frozenset({CentralSceneKey.PRESSED, CentralSceneKey.RELEASED, CentralSceneKey.HELD})


def key_label(key: int) -> str:
    """Event name of a key attribute number (unknown ones: ``key_0x07``)."""
    try:
        return CentralSceneKey(key).label
    except ValueError:
        return f"key_0x{key:02x}"


class CentralSceneValue:
    """Value names of the Central Scene CC."""

    SCENE_COUNT = "scene_count"
    SUPPORTS_SLOW_REFRESH = "supports_slow_refresh"
    SUPPORTED_KEY_ATTRIBUTES = "supported_key_attributes"
    SLOW_REFRESH = "slow_refresh"


@register
@dataclass(frozen=True, slots=True)
class CentralSceneSupportedReport(CCCommand):
    """Scene count and (v2+) the key attributes of each scene.

    ``key_attributes`` holds one set per scene, or one set for all when ``identical``;
    ``has_attributes`` False is the v1 form (the count only).
    """

    cc_id = CC
    command_id = 0x02
    scene_count: int
    supports_slow_refresh: bool = False
    key_attributes: tuple[frozenset[int], ...] = ()
    identical: bool = False
    mask_bytes: int = 1
    has_attributes: bool = True

    def attributes_of(self, scene: int) -> frozenset[int]:
        """Key attributes of scene ``scene`` (1-based)."""
        if not self.has_attributes:
            return V1_KEY_ATTRIBUTES
        if self.identical:
            return self.key_attributes[0] if self.key_attributes else frozenset()
        if 1 <= scene <= len(self.key_attributes):
            return self.key_attributes[scene - 1]
        return frozenset()

    def encode_payload(self) -> bytes:
        if not 0 <= self.scene_count <= 0xFF:
            raise CCEncodeError("Central Scene: scene count must be a byte")
        if not self.has_attributes:
            return bytes((self.scene_count,))
        if not 0 <= self.mask_bytes <= 3:
            raise CCEncodeError("Central Scene: 0..3 bitmask bytes per scene")
        entries = 1 if self.identical else self.scene_count
        if len(self.key_attributes) != entries:
            raise CCEncodeError(f"Central Scene: {entries} key attribute sets expected")
        flags = (0x80 if self.supports_slow_refresh else 0) | (self.mask_bytes << 1) | (1 if self.identical else 0)
        out = bytearray((self.scene_count, flags))
        for keys in self.key_attributes:
            out += set_to_bitmask(set(keys), 0, self.mask_bytes)
        return bytes(out)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Central Scene Supported Report")
        if len(payload) == 1:
            return cls(payload[0], has_attributes=False)
        count, flags = payload[0], payload[1]
        mask_bytes = (flags >> 1) & 0x03
        identical = bool(flags & 0x01)
        entries = 1 if identical else count
        require(payload, 2 + mask_bytes * entries, "Central Scene Supported Report key attributes")
        keys = tuple(
            frozenset(bitmask_to_set(payload[2 + i * mask_bytes : 2 + (i + 1) * mask_bytes]))
            for i in range(entries)
        )
        return cls(count, bool(flags & 0x80), keys, identical, mask_bytes)

    def value_updates(self) -> list[ValueUpdate]:
        updates = [
            ValueUpdate(CentralSceneValue.SCENE_COUNT, self.scene_count),
            ValueUpdate(CentralSceneValue.SUPPORTS_SLOW_REFRESH, self.supports_slow_refresh),
        ]
        updates += [
            ValueUpdate(CentralSceneValue.SUPPORTED_KEY_ATTRIBUTES, sorted(self.attributes_of(scene)), scene)
            for scene in range(1, self.scene_count + 1)
        ]
        return updates


@register
@dataclass(frozen=True, slots=True)
class CentralSceneSupportedGet(CCCommand):
    """Ask for the scenes and their key attributes."""

    cc_id = CC
    command_id = 0x01
    expects = CentralSceneSupportedReport


@register
@dataclass(frozen=True, slots=True)
class CentralSceneNotification(CCCommand):
    """A key of a scene was pressed, held or released; ``slow_refresh`` only means something
    with :attr:`CentralSceneKey.HELD` (the refreshes then come every 55 s, else every 200 ms)."""

    cc_id = CC
    command_id = 0x03
    sequence_number: int
    key_attribute: int
    scene: int
    slow_refresh: bool = False

    def encode_payload(self) -> bytes:
        if not 0 <= self.key_attribute <= 0x07:
            raise CCEncodeError("Central Scene: key attribute must fit in 3 bits")
        if not (0 <= self.sequence_number <= 0xFF and 0 <= self.scene <= 0xFF):
            raise CCEncodeError("Central Scene: sequence number and scene must be bytes")
        flags = (0x80 if self.slow_refresh else 0) | self.key_attribute
        return bytes((self.sequence_number, flags, self.scene))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 3, "Central Scene Notification")
        key = payload[1] & 0x07
        slow = bool(payload[1] & 0x80) and key == CentralSceneKey.HELD  # ignored for other keys
        return cls(payload[0], key, payload[2], slow)

    @property
    def key_label(self) -> str:
        return key_label(self.key_attribute)


@register
@dataclass(frozen=True, slots=True)
class CentralSceneConfigurationSet(CCCommand):
    """Enable or disable slow refresh of Key Held Down notifications (v3)."""

    cc_id = CC
    command_id = 0x04
    slow_refresh: bool

    def encode_payload(self) -> bytes:
        return bytes((0x80 if self.slow_refresh else 0,))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Central Scene Configuration Set")
        return cls(bool(payload[0] & 0x80))


@register
@dataclass(frozen=True, slots=True)
class CentralSceneConfigurationReport(CCCommand):
    """Whether slow refresh is on (v3)."""

    cc_id = CC
    command_id = 0x06
    slow_refresh: bool

    def encode_payload(self) -> bytes:
        return bytes((0x80 if self.slow_refresh else 0,))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Central Scene Configuration Report")
        return cls(bool(payload[0] & 0x80))

    def value_updates(self) -> list[ValueUpdate]:
        return [ValueUpdate(CentralSceneValue.SLOW_REFRESH, self.slow_refresh)]


@register
@dataclass(frozen=True, slots=True)
class CentralSceneConfigurationGet(CCCommand):
    """Ask whether slow refresh is on (v3)."""

    cc_id = CC
    command_id = 0x05
    expects = CentralSceneConfigurationReport


async def _interview(ctx: CCContext) -> None:
    """Scenes and key attributes; slow refresh switched on where supported (as Z-Wave JS).
    Root device only: the notifications come from it (Z-Wave JS skips the end points too)."""
    if ctx.endpoint > 0:
        return
    try:
        report = await ctx.get(CentralSceneSupportedGet())
    except NodeError:
        return  # no scenes known: notifications still become events
    if ctx.version >= 3 and isinstance(report, CentralSceneSupportedReport) and report.supports_slow_refresh:
        await ctx.send(CentralSceneConfigurationSet(True))
        await _refresh(ctx)


async def _refresh(ctx: CCContext) -> None:
    if ctx.version >= 3 and ctx.endpoint == 0:
        try:
            await ctx.get(CentralSceneConfigurationGet())
        except NodeError:
            pass  # optional: slow refresh is also learnt from the notifications


def _set_value(prop: str, value: Any, key: Any, options: dict[str, Any], version: int) -> CCCommand:
    if prop != CentralSceneValue.SLOW_REFRESH:
        raise CCEncodeError(f"Central Scene: property {prop!r} is not writable")
    if not isinstance(value, bool):
        raise CCEncodeError("Central Scene: slow_refresh must be true or false")
    if version < 3:
        raise CCEncodeError("Central Scene: slow refresh needs version 3")
    return CentralSceneConfigurationSet(value)


INFO = register_cc(
    CCInfo(CC, "Central Scene", 3, interview=_interview, refresh=_refresh, set_value=_set_value, interview_order=70)
)
