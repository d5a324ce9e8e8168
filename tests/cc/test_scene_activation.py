"""Scene Activation CC (0x2B): byte vectors (Z-Wave JS's SceneActivationCC tests), values,
set_value and the hook for nodes that only control the CC."""

from __future__ import annotations

import pytest

from custom_components.zwave_serial.zwave.cc import CCCommand, cc_info, decode_command
from custom_components.zwave_serial.zwave.cc.scene_activation import SceneActivationSet
from custom_components.zwave_serial.zwave.errors import CCDecodeError, CCEncodeError
from custom_components.zwave_serial.zwave.values import ValueUpdate

from .fakecontext import FakeContext

ROUND_TRIP = [
    ("2b0137ff", SceneActivationSet(55)),  # Z-Wave JS: without duration -> 0xFF (default)
    ("2b013887", SceneActivationSet(56, 480.0)),  # 8 minutes
    ("2b010f00", SceneActivationSet(15, 0.0)),  # Z-Wave JS: 0 seconds
    ("2b01ff7f", SceneActivationSet(255, 127.0)),
]


@pytest.mark.parametrize(("hexbytes", "command"), ROUND_TRIP)
def test_round_trip(hexbytes: str, command: CCCommand) -> None:
    raw = bytes.fromhex(hexbytes)
    assert decode_command(raw) == command
    assert command.to_bytes() == raw


def test_decode() -> None:
    # Z-Wave JS: 1 minute as 0x80; the same 60 s are sent as 0x3C (seconds up to 127)
    assert decode_command(bytes.fromhex("2b013880")) == SceneActivationSet(56, 60.0)
    assert SceneActivationSet(56, 60.0).to_bytes().hex() == "2b01383c"
    assert decode_command(bytes.fromhex("2b0105")) == SceneActivationSet(5)  # the duration byte is optional
    for bad in ("2b01", "2b0100", "2b0000"):
        with pytest.raises(CCDecodeError):
            decode_command(bytes.fromhex(bad))


def test_value_updates() -> None:
    assert SceneActivationSet(4, 3.0).value_updates() == [
        ValueUpdate("scene_id", 4),
        ValueUpdate("dimming_duration", 3.0, unit="s"),
    ]


def test_set_value() -> None:
    info = cc_info(0x2B)
    assert info is not None and info.set_value is not None
    assert info.set_value("scene_id", 3, None, {}, 1).to_bytes().hex() == "2b0103ff"
    assert info.set_value("scene_id", 3, None, {"duration": 5}, 1).to_bytes().hex() == "2b010305"
    for prop, value, options in [("scene_id", 0, {}), ("scene_id", True, {}), ("dimming_duration", 3, {}),
                                 ("scene_id", 3, {"duration": -1}), ("scene_id", 3, {"duration": "x"})]:
        with pytest.raises(CCEncodeError):
            info.set_value(prop, value, None, options, 1)
    with pytest.raises(CCEncodeError):
        SceneActivationSet(0).to_bytes()


async def test_controlled_hook_creates_the_value() -> None:
    """A remote that only controls Scene Activation gets ``scene_id`` up front (Z-Wave JS #7546)."""
    info = cc_info(0x2B)
    assert info is not None and info.interview_controlled is not None
    ctx = FakeContext({}, version=1)
    await info.interview_controlled(ctx)
    assert ("scene_id", None) in ctx.values and ctx.sent == []
    ctx.values[("scene_id", None)] = 9
    await info.interview_controlled(ctx)
    assert ctx.value("scene_id") == 9  # a known scene is kept
