"""Sound Switch CC (0x79), v2: sirens, doorbells and chimes that play numbered tones.

Values: ``tone_count``; per tone (key = tone id) ``tone_name`` and ``tone_duration`` (s);
``default_volume`` (0..100 %) and ``default_tone_id``; ``tone_id`` (the tone playing, 0 =
none) and ``volume`` (v2).  Writable: ``tone_id`` (1..count plays a tone, 0xFF the default
tone, 0 stops; option ``volume`` 1..100, v2), ``default_volume``, ``default_tone_id``.

TonesNumberGet/Report ``[count]``; ToneInfoGet ``[tone]``, ToneInfoReport ``[tone][duration
u16 s][name length][UTF-8 name]``; ConfigurationSet/Report ``[volume][default tone]`` (Set: volume
0xFF and tone 0 keep the current setting); TonePlaySet/Report ``[tone][volume (v2)]`` (volume 0:
the default volume).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Self

from ..errors import CCEncodeError, NodeError
from ..values import ValueUpdate
from .base import CCCommand, CCContext, CCInfo, register, register_cc
from .ids import CommandClass
from .primitives import require

CC = CommandClass.SOUND_SWITCH

TONE_OFF = 0x00
TONE_DEFAULT = 0xFF
#: ConfigurationSet: leave the default volume / default tone as they are.
KEEP_VOLUME = 0xFF
KEEP_TONE = 0x00
MAX_VOLUME = 100


class SoundSwitchValue:
    """Value names of the Sound Switch CC."""

    TONE_COUNT = "tone_count"
    TONE_NAME = "tone_name"
    TONE_DURATION = "tone_duration"
    DEFAULT_VOLUME = "default_volume"
    DEFAULT_TONE_ID = "default_tone_id"
    TONE_ID = "tone_id"
    VOLUME = "volume"


def _byte(value: int, what: str) -> int:
    if not 0 <= value <= 0xFF:
        raise CCEncodeError(f"Sound Switch: {what} must be a byte")
    return value


@register
@dataclass(frozen=True, slots=True)
class SoundSwitchTonesNumberReport(CCCommand):
    """How many tones the device has."""

    cc_id = CC
    command_id = 0x02
    count: int

    def encode_payload(self) -> bytes:
        return bytes((_byte(self.count, "tone count"),))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Sound Switch Tones Number Report")
        return cls(payload[0])

    def value_updates(self) -> list[ValueUpdate]:
        return [ValueUpdate(SoundSwitchValue.TONE_COUNT, self.count)]


@register
@dataclass(frozen=True, slots=True)
class SoundSwitchTonesNumberGet(CCCommand):
    cc_id = CC
    command_id = 0x01
    expects = SoundSwitchTonesNumberReport


@register
@dataclass(frozen=True, slots=True)
class SoundSwitchToneInfoReport(CCCommand):
    """Name and duration (s) of one tone."""

    cc_id = CC
    command_id = 0x04
    tone_id: int
    duration: int
    name: str

    def encode_payload(self) -> bytes:
        name = self.name.encode()
        if not 0 <= self.duration <= 0xFFFF or len(name) > 0xFF:
            raise CCEncodeError("Sound Switch: tone duration must fit 16 bits and the name 255 bytes")
        return bytes((_byte(self.tone_id, "tone id"),)) + self.duration.to_bytes(2, "big") + bytes((len(name),)) + name

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 4, "Sound Switch Tone Info Report")
        length = payload[3]
        require(payload, 4 + length, "Sound Switch Tone Info Report name")
        name = payload[4 : 4 + length].decode("utf-8", errors="replace")
        return cls(payload[0], int.from_bytes(payload[1:3], "big"), name)

    def value_updates(self) -> list[ValueUpdate]:
        return [
            ValueUpdate(SoundSwitchValue.TONE_NAME, self.name, self.tone_id),
            ValueUpdate(SoundSwitchValue.TONE_DURATION, self.duration, self.tone_id, unit="s"),
        ]

    def answers(self, get: CCCommand) -> bool:
        return isinstance(get, SoundSwitchToneInfoGet) and get.tone_id == self.tone_id


@register
@dataclass(frozen=True, slots=True)
class SoundSwitchToneInfoGet(CCCommand):
    cc_id = CC
    command_id = 0x03
    expects = SoundSwitchToneInfoReport
    tone_id: int

    def encode_payload(self) -> bytes:
        return bytes((_byte(self.tone_id, "tone id"),))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Sound Switch Tone Info Get")
        return cls(payload[0])


@register
@dataclass(frozen=True, slots=True)
class SoundSwitchConfigurationSet(CCCommand):
    """Default volume (0..100, 0xFF keep) and default tone (0 keep)."""

    cc_id = CC
    command_id = 0x05
    volume: int = KEEP_VOLUME
    tone_id: int = KEEP_TONE

    def encode_payload(self) -> bytes:
        return bytes((_byte(self.volume, "volume"), _byte(self.tone_id, "tone id")))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 2, "Sound Switch Configuration Set")
        return cls(payload[0], payload[1])


@register
@dataclass(frozen=True, slots=True)
class SoundSwitchConfigurationReport(CCCommand):
    """The default volume (0..100) and default tone."""

    cc_id = CC
    command_id = 0x07
    volume: int
    tone_id: int

    def encode_payload(self) -> bytes:
        return bytes((_byte(self.volume, "volume"), _byte(self.tone_id, "tone id")))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 2, "Sound Switch Configuration Report")
        return cls(payload[0], payload[1])

    def value_updates(self) -> list[ValueUpdate]:
        return [
            ValueUpdate(SoundSwitchValue.DEFAULT_VOLUME, min(self.volume, MAX_VOLUME), unit="%"),
            ValueUpdate(SoundSwitchValue.DEFAULT_TONE_ID, self.tone_id),
        ]


@register
@dataclass(frozen=True, slots=True)
class SoundSwitchConfigurationGet(CCCommand):
    cc_id = CC
    command_id = 0x06
    expects = SoundSwitchConfigurationReport


def _encode_tone_play(tone_id: int, volume: int | None) -> bytes:
    """Tone Play Set/Report payload: ``[tone][volume (v2)]``."""
    out = bytes((_byte(tone_id, "tone id"),))
    return out if volume is None else out + bytes((_byte(volume, "volume"),))


def _decode_tone_play(payload: bytes, what: str) -> tuple[int, int | None]:
    require(payload, 1, what)
    return payload[0], payload[1] if len(payload) >= 2 else None


@register
@dataclass(frozen=True, slots=True)
class SoundSwitchTonePlaySet(CCCommand):
    """Play ``tone_id`` (0 stops, 0xFF the default tone) at ``volume`` (v2; 0 = default volume)."""

    cc_id = CC
    command_id = 0x08
    tone_id: int
    volume: int | None = None

    def encode_payload(self) -> bytes:
        return _encode_tone_play(self.tone_id, self.volume)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        return cls(*_decode_tone_play(payload, "Sound Switch Tone Play Set"))


@register
@dataclass(frozen=True, slots=True)
class SoundSwitchTonePlayReport(CCCommand):
    """The tone playing (0: none) and its volume (v2)."""

    cc_id = CC
    command_id = 0x0A
    tone_id: int
    volume: int | None = None

    def encode_payload(self) -> bytes:
        return _encode_tone_play(self.tone_id, self.volume)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        return cls(*_decode_tone_play(payload, "Sound Switch Tone Play Report"))

    def value_updates(self) -> list[ValueUpdate]:
        updates = [ValueUpdate(SoundSwitchValue.TONE_ID, self.tone_id)]
        if self.volume is not None and self.tone_id != TONE_OFF:
            updates.append(ValueUpdate(SoundSwitchValue.VOLUME, min(self.volume, MAX_VOLUME), unit="%"))
        return updates


@register
@dataclass(frozen=True, slots=True)
class SoundSwitchTonePlayGet(CCCommand):
    cc_id = CC
    command_id = 0x09
    expects = SoundSwitchTonePlayReport


async def _interview(ctx: CCContext) -> None:
    """Tones (count, names, durations), then the defaults and what plays now."""
    report = await ctx.get(SoundSwitchTonesNumberGet())
    count = report.count if isinstance(report, SoundSwitchTonesNumberReport) else 0
    for tone in range(1, min(count, 0xFE) + 1):
        try:
            await ctx.get(SoundSwitchToneInfoGet(tone))
        except NodeError:
            continue
    await _refresh(ctx)


async def _refresh(ctx: CCContext) -> None:
    try:
        await ctx.get(SoundSwitchConfigurationGet())
    except NodeError:
        pass  # optional: what plays matters most
    await ctx.get(SoundSwitchTonePlayGet())


def _int(value: Any, low: int, high: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise CCEncodeError(f"Sound Switch: {what} must be {low}..{high}")
    return value


def _set_value(prop: str, value: Any, key: Any, options: dict[str, Any], version: int) -> CCCommand:
    if prop == SoundSwitchValue.TONE_ID:
        tone = _int(value, 0, 0xFF, "tone_id")
        volume = options.get("volume")
        if volume is None or version < 2 or tone == TONE_OFF:
            return SoundSwitchTonePlaySet(tone, 0 if version >= 2 else None)
        return SoundSwitchTonePlaySet(tone, _int(volume, 1, MAX_VOLUME, "volume"))
    if prop == SoundSwitchValue.DEFAULT_VOLUME:
        return SoundSwitchConfigurationSet(volume=_int(value, 0, MAX_VOLUME, "default_volume"))
    if prop == SoundSwitchValue.DEFAULT_TONE_ID:
        return SoundSwitchConfigurationSet(tone_id=_int(value, 1, 0xFE, "default_tone_id"))
    raise CCEncodeError(f"Sound Switch: property {prop!r} is not writable")


INFO = register_cc(CCInfo(CC, "Sound Switch", 2, interview=_interview, refresh=_refresh, set_value=_set_value))
