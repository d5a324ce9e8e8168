"""Multilevel Switch CC (0x26): byte vectors, values, set_value and the interview hook."""

from __future__ import annotations

import pytest

from custom_components.zwave_serial.zwave.cc import CCCommand, cc_info, decode_command
from custom_components.zwave_serial.zwave.cc.switch_multilevel import (
    SwitchMultilevelGet,
    SwitchMultilevelReport,
    SwitchMultilevelSet,
    SwitchMultilevelStartLevelChange,
    SwitchMultilevelStopLevelChange,
    SwitchMultilevelSupportedGet,
    SwitchMultilevelSupportedReport,
)
from custom_components.zwave_serial.zwave.errors import CCDecodeError, CCEncodeError, NodeTimeout
from custom_components.zwave_serial.zwave.values import ValueUpdate

from .fakecontext import FakeContext

ROUND_TRIP = [
    ("260163", SwitchMultilevelSet(99)),
    ("260100", SwitchMultilevelSet(0)),
    ("2601ff", SwitchMultilevelSet(0xFF)),  # restore the last level
    ("26013205", SwitchMultilevelSet(50, 5.0, include_duration=True)),
    ("260100ff", SwitchMultilevelSet(0, None, include_duration=True)),
    ("26016387", SwitchMultilevelSet(99, 480.0, include_duration=True)),  # 0x87 = 8 minutes
    ("2602", SwitchMultilevelGet()),
    ("260332", SwitchMultilevelReport(50)),
    ("2603fe", SwitchMultilevelReport(None)),
    ("260300630a", SwitchMultilevelReport(0, 99, 10.0, has_target=True)),
    ("2603636300", SwitchMultilevelReport(99, 99, 0.0, has_target=True)),
    ("26031efefe", SwitchMultilevelReport(30, None, None, has_target=True)),
    ("26044000", SwitchMultilevelStartLevelChange(True, 0, False)),
    ("26042032", SwitchMultilevelStartLevelChange(False, 50, True)),
    ("2604203205", SwitchMultilevelStartLevelChange(False, 50, True, 5.0, include_duration=True)),
    ("26046000ff", SwitchMultilevelStartLevelChange(True, 0, True, None, include_duration=True)),
    ("2605", SwitchMultilevelStopLevelChange()),
    ("2606", SwitchMultilevelSupportedGet()),
    ("26070302", SwitchMultilevelSupportedReport(3, 2)),
]


@pytest.mark.parametrize(("hexbytes", "command"), ROUND_TRIP)
def test_round_trip(hexbytes: str, command: CCCommand) -> None:
    raw = bytes.fromhex(hexbytes)
    assert decode_command(raw) == command
    assert command.to_bytes() == raw


@pytest.mark.parametrize(
    ("hexbytes", "command"),
    [
        ("2603ff", SwitchMultilevelReport(99)),  # legacy "on" reads as 99
        ("2603ffff00", SwitchMultilevelReport(99, 99, 0.0, has_target=True)),
        ("260702", SwitchMultilevelSupportedReport(2, 0)),  # zwave-js sends only byte 0
        ("2607e3e2", SwitchMultilevelSupportedReport(3, 2)),  # reserved bits masked
        ("26049f00", SwitchMultilevelStartLevelChange(False, 0, False)),  # other bits ignored
    ],
)
def test_decode_lenient(hexbytes: str, command: CCCommand) -> None:
    assert decode_command(bytes.fromhex(hexbytes)) == command


@pytest.mark.parametrize("hexbytes", ["2601", "2603", "260440", "2607"])
def test_decode_errors(hexbytes: str) -> None:
    with pytest.raises(CCDecodeError):
        decode_command(bytes.fromhex(hexbytes))


def test_value_updates() -> None:
    assert SwitchMultilevelReport(None).value_updates() == [ValueUpdate("current_value", None)]
    assert decode_command(bytes.fromhex("260300630a")).value_updates() == [
        ValueUpdate("current_value", 0),
        ValueUpdate("target_value", 99),
        ValueUpdate("duration", 10.0, unit="s"),
    ]
    assert SwitchMultilevelSet(50).value_updates() == []


@pytest.mark.parametrize(
    ("value", "options", "version", "expected"),
    [
        (50, {}, 1, "260132"),
        (0, {}, 4, "260100"),
        (255, {}, 4, "2601ff"),
        (True, {}, 4, "2601ff"),
        (50, {"duration": 60}, 4, "2601323c"),
        (50, {"duration": 600}, 2, "26013289"),
        (50, {"duration": 60}, 1, "260132"),  # v1 has no duration
    ],
)
def test_set_value(value: object, options: dict, version: int, expected: str) -> None:
    info = cc_info(0x26)
    assert info is not None and info.set_value is not None
    assert info.set_value("target_value", value, None, options, version).to_bytes().hex() == expected


@pytest.mark.parametrize(
    ("prop", "value", "options"),
    [
        ("current_value", 5, {}),
        ("target_value", 100, {}),
        ("target_value", -1, {}),
        ("target_value", 5.5, {}),
        ("target_value", 5, {"duration": -3}),
    ],
)
def test_set_value_errors(prop: str, value: object, options: dict) -> None:
    info = cc_info(0x26)
    assert info is not None and info.set_value is not None
    with pytest.raises(CCEncodeError):
        info.set_value(prop, value, None, options, 4)


async def test_interview_v4() -> None:
    info = cc_info(0x26)
    assert info is not None and info.interview is not None
    ctx = FakeContext({"2606": "26070300", "2602": "2603003205"}, version=4)
    await info.interview(ctx)
    assert ctx.sent == ["2606", "2602"]
    assert ctx.value("switch_type") == 3
    assert ctx.value("current_value") == 0
    assert ctx.value("target_value") == 50
    assert ctx.value("duration") == 5.0
    await info.run_refresh(ctx)
    assert ctx.sent[-1] == "2602" and len(ctx.sent) == 3


async def test_interview_supported_get_unanswered() -> None:
    info = cc_info(0x26)
    assert info is not None and info.interview is not None
    ctx = FakeContext({"2602": "260363"}, version=3)
    await info.interview(ctx)  # SupportedGet times out: the level is still read
    assert ctx.sent == ["2606", "2602"]
    assert ctx.value("switch_type") is None
    assert ctx.value("current_value") == 99


async def test_interview_v1() -> None:
    info = cc_info(0x26)
    assert info is not None and info.interview is not None
    ctx = FakeContext({"2602": "26031e"}, version=1)
    await info.interview(ctx)
    assert ctx.sent == ["2602"]
    assert ctx.value("current_value") == 30
    with pytest.raises(NodeTimeout):
        await info.interview(FakeContext({}, version=1))
