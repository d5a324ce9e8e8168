"""Scene Activation CC (0x2B), v1: a remote (which usually only *controls* the CC) activates a
scene; the driver turns each Set it receives into a ``SceneActivationEvent``.

Values: ``scene_id`` (the last scene activated, 1..255) and ``dimming_duration`` (s, None: the
device's default).  A node that controls the CC gets ``scene_id`` (None) at its interview so
that Home Assistant can offer the event before the first activation.

Set ``[scene id][dimming duration]`` (the duration byte is optional on receipt; 0xFF = the
device's configured duration).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Self

from ..errors import CCDecodeError, CCEncodeError
from ..values import ValueUpdate
from .base import CCCommand, CCContext, CCInfo, register, register_cc
from .ids import CommandClass
from .primitives import decode_set_duration, encode_duration, require

CC = CommandClass.SCENE_ACTIVATION


class SceneActivationValue:
    """Value names of the Scene Activation CC."""

    SCENE_ID = "scene_id"
    DIMMING_DURATION = "dimming_duration"


@register
@dataclass(frozen=True, slots=True)
class SceneActivationSet(CCCommand):
    """Activate scene ``scene_id`` (1..255) over ``dimming_duration`` seconds (None: default)."""

    cc_id = CC
    command_id = 0x01
    scene_id: int
    dimming_duration: float | None = None

    def encode_payload(self) -> bytes:
        if not 1 <= self.scene_id <= 0xFF:
            raise CCEncodeError("Scene Activation: scene id must be 1..255")
        return bytes((self.scene_id, encode_duration(self.dimming_duration)))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Scene Activation Set")
        if payload[0] == 0:
            raise CCDecodeError("Scene Activation Set: scene id 0 is not valid")
        duration = decode_set_duration(payload[1]) if len(payload) >= 2 else None
        return cls(payload[0], duration)

    def value_updates(self) -> list[ValueUpdate]:
        return [
            ValueUpdate(SceneActivationValue.SCENE_ID, self.scene_id),
            ValueUpdate(SceneActivationValue.DIMMING_DURATION, self.dimming_duration, unit="s"),
        ]


async def _interview_controlled(ctx: CCContext) -> None:
    """A node that sends Scene Activation: its ``scene_id`` value exists before the first scene."""
    if ctx.value(SceneActivationValue.SCENE_ID) is None:
        ctx.set_static(SceneActivationValue.SCENE_ID, None)


def _set_value(prop: str, value: Any, key: Any, options: dict[str, Any], version: int) -> CCCommand:
    if prop != SceneActivationValue.SCENE_ID:
        raise CCEncodeError(f"Scene Activation: property {prop!r} is not writable")
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 0xFF:
        raise CCEncodeError("Scene Activation: scene_id must be 1..255")
    duration = options.get("duration")
    if duration is not None:
        if not isinstance(duration, int | float):
            raise CCEncodeError("Scene Activation: duration must be a number of seconds")
        encode_duration(duration)  # validate now rather than at send time
    return SceneActivationSet(value, duration)


INFO = register_cc(
    CCInfo(
        CC,
        "Scene Activation",
        1,
        interview=_interview_controlled,
        set_value=_set_value,
        interview_controlled=_interview_controlled,
    )
)
