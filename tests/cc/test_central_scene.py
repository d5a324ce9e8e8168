"""Central Scene CC (0x5B): byte vectors (Z-Wave JS's CentralSceneCC tests), values, set_value
and the interview hook."""

from __future__ import annotations

import pytest

from custom_components.zwave_serial.zwave.cc import CCCommand, cc_info, decode_command
from custom_components.zwave_serial.zwave.cc.central_scene import (
    V1_KEY_ATTRIBUTES,
    CentralSceneConfigurationGet,
    CentralSceneConfigurationReport,
    CentralSceneConfigurationSet,
    CentralSceneKey,
    CentralSceneNotification,
    CentralSceneSupportedGet,
    CentralSceneSupportedReport,
    key_label,
)
from custom_components.zwave_serial.zwave.errors import CCDecodeError, CCEncodeError
from custom_components.zwave_serial.zwave.values import ValueUpdate

from .fakecontext import FakeContext

ROUND_TRIP = [
    # Z-Wave JS: ConfigurationGet, ConfigurationSet (flags set / not set), SupportedGet
    ("5b05", CentralSceneConfigurationGet()),
    ("5b0480", CentralSceneConfigurationSet(True)),
    ("5b0400", CentralSceneConfigurationSet(False)),
    ("5b01", CentralSceneSupportedGet()),
    # Z-Wave JS: ConfigurationReport 0b1000_0000 -> slow refresh
    ("5b0680", CentralSceneConfigurationReport(True)),
    ("5b0600", CentralSceneConfigurationReport(False)),
    # Z-Wave JS: 2 scenes, slow refresh, 2 bitmask bytes, not identical; scene 1 keys {0, 8, 9},
    # scene 2 keys {0, 2, 4}
    (
        "5b020284" "0103" "1500",
        CentralSceneSupportedReport(2, True, (frozenset({0, 8, 9}), frozenset({0, 2, 4})), False, 2),
    ),
    # identical key attributes: one bitmask for all scenes
    ("5b0204037f", CentralSceneSupportedReport(4, False, (frozenset(range(7)),), True, 1)),
    ("5b0203", CentralSceneSupportedReport(3, has_attributes=False)),  # v1: the count only
    # Z-Wave JS: sequence 7, KeyPressed4x (slow refresh flag ignored for it: not re-encoded), scene 8
    ("5b03070508", CentralSceneNotification(7, CentralSceneKey.PRESSED_4X, 8)),
    # Z-Wave JS: KeyHeldDown with slow refresh
    ("5b03078208", CentralSceneNotification(7, CentralSceneKey.HELD, 8, True)),
    ("5b03ff0101", CentralSceneNotification(255, CentralSceneKey.RELEASED, 1)),
]


@pytest.mark.parametrize(("hexbytes", "command"), ROUND_TRIP)
def test_round_trip(hexbytes: str, command: CCCommand) -> None:
    raw = bytes.fromhex(hexbytes)
    assert decode_command(raw) == command
    assert command.to_bytes() == raw


def test_notification_slow_refresh_only_with_held() -> None:
    """Z-Wave JS: the slow refresh bit is only evaluated for Key Held Down."""
    note = decode_command(bytes.fromhex("5b03078508"))
    assert isinstance(note, CentralSceneNotification)
    assert note.slow_refresh is False and note.key_attribute == 5 and note.key_label == "pressed_4x"
    assert decode_command(bytes.fromhex("5b0307fa08")) == CentralSceneNotification(7, 2, 8, True)  # reserved bits


@pytest.mark.parametrize("hexbytes", ["5b03", "5b030701", "5b02", "5b020284", "5b02028401", "5b04", "5b06"])
def test_decode_errors(hexbytes: str) -> None:
    with pytest.raises(CCDecodeError):
        decode_command(bytes.fromhex(hexbytes))


@pytest.mark.parametrize(
    "command",
    [
        CentralSceneNotification(1, 8, 1),
        CentralSceneNotification(256, 0, 1),
        CentralSceneSupportedReport(2, key_attributes=(frozenset({0}),)),  # 2 scenes, 1 set
        CentralSceneSupportedReport(1, key_attributes=(frozenset({9}),), mask_bytes=1),  # bit 9 in 1 byte
        CentralSceneSupportedReport(1, key_attributes=(frozenset(),), mask_bytes=4),
    ],
)
def test_encode_errors(command: CCCommand) -> None:
    with pytest.raises(CCEncodeError):
        command.to_bytes()


def test_key_labels() -> None:
    assert [k.label for k in CentralSceneKey] == [
        "pressed", "released", "held", "pressed_2x", "pressed_3x", "pressed_4x", "pressed_5x",
    ]
    assert key_label(7) == "key_0x07"


def test_value_updates() -> None:
    report = decode_command(bytes.fromhex("5b0202840103" "1500"))
    assert report.value_updates() == [
        ValueUpdate("scene_count", 2),
        ValueUpdate("supports_slow_refresh", True),
        ValueUpdate("supported_key_attributes", [0, 8, 9], 1),
        ValueUpdate("supported_key_attributes", [0, 2, 4], 2),
    ]
    identical = CentralSceneSupportedReport(2, False, (frozenset({0, 3}),), True)
    assert [u.value for u in identical.value_updates()[2:]] == [[0, 3], [0, 3]]
    v1 = CentralSceneSupportedReport(1, has_attributes=False)
    assert v1.value_updates()[2] == ValueUpdate("supported_key_attributes", sorted(V1_KEY_ATTRIBUTES), 1)
    assert CentralSceneConfigurationReport(True).value_updates() == [ValueUpdate("slow_refresh", True)]
    assert CentralSceneNotification(1, 0, 1).value_updates() == []  # an event, not a value


def test_set_value() -> None:
    info = cc_info(0x5B)
    assert info is not None and info.set_value is not None
    assert info.set_value("slow_refresh", True, None, {}, 3).to_bytes().hex() == "5b0480"
    assert info.set_value("slow_refresh", False, None, {}, 3).to_bytes().hex() == "5b0400"
    for prop, value, version in [("slow_refresh", 1, 3), ("slow_refresh", True, 2), ("scene_count", 3, 3)]:
        with pytest.raises(CCEncodeError):
            info.set_value(prop, value, None, {}, version)


async def test_interview_v3_enables_slow_refresh() -> None:
    """As Z-Wave JS: scenes, then slow refresh switched on where supported (and read back)."""
    info = cc_info(0x5B)
    assert info is not None and info.interview is not None
    ctx = FakeContext({"5b01": "5b0204837f", "5b05": "5b0680"}, version=3)
    await info.interview(ctx)
    assert ctx.sent == ["5b01", "5b0480", "5b05"]
    assert ctx.value("scene_count") == 4
    assert ctx.value("supported_key_attributes", 4) == [0, 1, 2, 3, 4, 5, 6]
    assert ctx.value("slow_refresh") is True


async def test_interview_v1_and_unanswered() -> None:
    info = cc_info(0x5B)
    assert info is not None and info.interview is not None
    ctx = FakeContext({"5b01": "5b0202"}, version=1)
    await info.interview(ctx)
    assert ctx.sent == ["5b01"]
    assert ctx.value("supported_key_attributes", 2) == [0, 1, 2]
    silent = FakeContext({}, version=3)
    await info.interview(silent)  # no answer: nothing known, no error (notifications still come)
    assert silent.sent == ["5b01"]


async def test_interview_root_only() -> None:
    """End points are not interviewed: the notifications come from the root device (as Z-Wave JS)."""
    info = cc_info(0x5B)
    assert info is not None and info.interview is not None
    ctx = FakeContext({"5b01": "5b0204837f"}, version=3, endpoint=1)
    await info.interview(ctx)
    await info.run_refresh(ctx)
    assert ctx.sent == [] and ctx.values == {}
