"""Color Switch CC (0x33): byte vectors (Z-Wave JS's ColorSwitchCC tests), values, set_value
and the interview hook."""

from __future__ import annotations

import pytest

from custom_components.zwave_serial.zwave.cc import CCCommand, cc_info, decode_command
from custom_components.zwave_serial.zwave.cc.switch_color import (
    ColorComponent,
    ColorSwitchGet,
    ColorSwitchReport,
    ColorSwitchSet,
    ColorSwitchStartLevelChange,
    ColorSwitchStopLevelChange,
    ColorSwitchSupportedGet,
    ColorSwitchSupportedReport,
)
from custom_components.zwave_serial.zwave.errors import CCDecodeError, CCEncodeError
from custom_components.zwave_serial.zwave.values import ValueUpdate

from .fakecontext import FakeContext

RED, GREEN = ColorComponent.RED, ColorComponent.GREEN

ROUND_TRIP = [
    ("3301", ColorSwitchSupportedGet()),  # Z-Wave JS: SupportedGet
    # Z-Wave JS: 0b0001_1111, 0b0000_0001 -> warm white .. blue, and index
    ("33021f01", ColorSwitchSupportedReport(frozenset({0, 1, 2, 3, 4, 8}))),
    ("330302", ColorSwitchGet(RED)),  # Z-Wave JS: Get red
    ("330402ff", ColorSwitchReport(RED, 255)),  # Z-Wave JS: Report v1, red 255
    ("33040280ff01", ColorSwitchReport(RED, 128, 255, 1.0, has_target=True)),  # Z-Wave JS: Report v3
    # Z-Wave JS: Set red 128, green 255, default duration (0xFF) / 1 second (version 2)
    ("3305020280 03ffff".replace(" ", ""), ColorSwitchSet(((2, 128), (3, 255)), None, include_duration=True)),
    ("330502028003ff01", ColorSwitchSet(((2, 128), (3, 255)), 1.0, include_duration=True)),
    ("3305010400", ColorSwitchSet(((4, 0),))),  # v1: no duration byte
    # Z-Wave JS: StartLevelChange up, ignore start level, red, start 5, duration 1
    ("3306200205 01".replace(" ", ""), ColorSwitchStartLevelChange(False, RED, 5, True, 1.0, include_duration=True)),
    ("3306400300", ColorSwitchStartLevelChange(True, GREEN, 0, False)),
    ("330702", ColorSwitchStopLevelChange(RED)),  # Z-Wave JS: StopLevelChange red
]


@pytest.mark.parametrize(("hexbytes", "command"), ROUND_TRIP)
def test_round_trip(hexbytes: str, command: CCCommand) -> None:
    raw = bytes.fromhex(hexbytes)
    assert decode_command(raw) == command
    assert command.to_bytes() == raw


@pytest.mark.parametrize("hexbytes", ["3302", "330201", "3304", "330402", "330409ff", "3303", "330500", "33050102",
                                      "3306200a05", "3307"])
def test_decode_errors(hexbytes: str) -> None:
    with pytest.raises(CCDecodeError):
        decode_command(bytes.fromhex(hexbytes))


def test_value_updates() -> None:
    assert ColorSwitchSupportedReport(frozenset({4, 2, 3, 0, 15})).value_updates() == [
        ValueUpdate("supported_components", ["warm_white", "red", "green", "blue"])
    ]
    assert ColorSwitchReport(RED, 128, 255, 1.0, has_target=True).value_updates() == [
        ValueUpdate("current_color", 128, "red"),
        ValueUpdate("target_color", 255, "red"),
        ValueUpdate("duration", 1.0, unit="s"),
    ]
    assert ColorSwitchReport(ColorComponent.WARM_WHITE, 3).value_updates() == [ValueUpdate("current_color", 3, "warm_white")]


def test_report_answers_its_component() -> None:
    assert ColorSwitchReport(RED, 1).answers(ColorSwitchGet(RED))
    assert not ColorSwitchReport(RED, 1).answers(ColorSwitchGet(GREEN))


@pytest.mark.parametrize(
    ("prop", "key", "value", "options", "version", "expected"),
    [
        ("target_color", "red", 255, {}, 3, "33050102ff"),
        ("target_color", 3, 10, {"duration": 2}, 3, "330501030a02"),
        ("target_color", None, {"red": 255, "green": 0, "blue": 10}, {}, 3, "33050302ff0300040a"),
        ("target_color", None, {"warm_white": 1}, {"duration": 60}, 1, "3305010001"),  # v1: no duration
    ],
)
def test_set_value(prop: str, key: object, value: object, options: dict, version: int, expected: str) -> None:
    info = cc_info(0x33)
    assert info is not None and info.set_value is not None
    assert info.set_value(prop, value, key, options, version).to_bytes().hex() == expected


@pytest.mark.parametrize(
    ("prop", "key", "value", "options"),
    [
        ("current_color", "red", 1, {}),
        ("target_color", "pink", 1, {}),
        ("target_color", "red", 256, {}),
        ("target_color", "red", True, {}),
        ("target_color", None, 5, {}),
        ("target_color", None, {}, {}),
        ("target_color", "red", 5, {"duration": -1}),
    ],
)
def test_set_value_errors(prop: str, key: object, value: object, options: dict) -> None:
    info = cc_info(0x33)
    assert info is not None and info.set_value is not None
    with pytest.raises(CCEncodeError):
        info.set_value(prop, value, key, options, 3)


async def test_interview() -> None:
    info = cc_info(0x33)
    assert info is not None and info.interview is not None
    answers = {"3301": "33021c00", "330302": "3304020a0a00", "330303": "3304031414", "330304": "3304041e1e00"}
    ctx = FakeContext(answers, version=3)
    await info.interview(ctx)
    assert ctx.sent == ["3301", "330302", "330303", "330304"]
    assert ctx.value("supported_components") == ["red", "green", "blue"]
    assert [ctx.value("current_color", c) for c in ("red", "green", "blue")] == [10, 20, 30]
    await info.run_refresh(ctx)
    assert ctx.sent[4:] == ["330302", "330303", "330304"]
