"""Binary Switch CC (0x25): byte vectors, values, set_value and the interview hook."""

from __future__ import annotations

import pytest

from custom_components.zwave_serial.zwave.cc import CCCommand, cc_info, decode_command
from custom_components.zwave_serial.zwave.cc.switch_binary import (
    SwitchBinaryGet,
    SwitchBinaryReport,
    SwitchBinarySet,
)
from custom_components.zwave_serial.zwave.errors import CCDecodeError, CCEncodeError, NodeTimeout
from custom_components.zwave_serial.zwave.values import ValueUpdate

from .fakecontext import FakeContext

ROUND_TRIP = [
    ("2501ff", SwitchBinarySet(True)),
    ("250100", SwitchBinarySet(False)),
    ("2501ff05", SwitchBinarySet(True, 5.0, include_duration=True)),
    ("25010085", SwitchBinarySet(False, 360.0, include_duration=True)),  # 0x85 = 6 minutes
    ("2501ffff", SwitchBinarySet(True, None, include_duration=True)),  # device default
    ("2502", SwitchBinaryGet()),
    ("2503ff", SwitchBinaryReport(True)),
    ("250300", SwitchBinaryReport(False)),
    ("2503fe", SwitchBinaryReport(None)),
    ("250300ff05", SwitchBinaryReport(False, True, 5.0, has_target=True)),
    ("2503ffff00", SwitchBinaryReport(True, True, 0.0, has_target=True)),
    ("2503fefefe", SwitchBinaryReport(None, None, None, has_target=True)),
    ("2503000082", SwitchBinaryReport(False, False, 180.0, has_target=True)),
]


@pytest.mark.parametrize(("hexbytes", "command"), ROUND_TRIP)
def test_round_trip(hexbytes: str, command: CCCommand) -> None:
    raw = bytes.fromhex(hexbytes)
    assert decode_command(raw) == command
    assert command.to_bytes() == raw


@pytest.mark.parametrize(
    ("hexbytes", "command"),
    [
        ("250301", SwitchBinaryReport(True)),  # any 1..99 level means on
        ("250163", SwitchBinarySet(True)),
        ("25030000", SwitchBinaryReport(False)),  # a lone target byte is ignored
    ],
)
def test_decode_lenient(hexbytes: str, command: CCCommand) -> None:
    assert decode_command(bytes.fromhex(hexbytes)) == command


@pytest.mark.parametrize("hexbytes", ["2501", "2503"])
def test_decode_errors(hexbytes: str) -> None:
    with pytest.raises(CCDecodeError):
        decode_command(bytes.fromhex(hexbytes))


def test_value_updates() -> None:
    assert SwitchBinaryReport(True).value_updates() == [ValueUpdate("current_value", True)]
    assert decode_command(bytes.fromhex("250300ff05")).value_updates() == [
        ValueUpdate("current_value", False),
        ValueUpdate("target_value", True),
        ValueUpdate("duration", 5.0, unit="s"),
    ]


@pytest.mark.parametrize(
    ("value", "options", "version", "expected"),
    [
        (True, {}, 1, "2501ff"),
        (False, {}, 2, "250100"),
        (0xFF, {}, 1, "2501ff"),
        (True, {"duration": 3}, 2, "2501ff03"),
        (True, {"duration": 3}, 1, "2501ff"),  # v1 has no duration
        (False, {"duration": 300}, 2, "25010084"),
    ],
)
def test_set_value(value: object, options: dict, version: int, expected: str) -> None:
    info = cc_info(0x25)
    assert info is not None and info.set_value is not None
    assert info.set_value("target_value", value, None, options, version).to_bytes().hex() == expected


@pytest.mark.parametrize(
    ("prop", "value", "options"),
    [
        ("current_value", True, {}),
        ("target_value", "on", {}),
        ("target_value", 50, {}),
        ("target_value", True, {"duration": -1}),
        ("target_value", True, {"duration": "fast"}),
    ],
)
def test_set_value_errors(prop: str, value: object, options: dict) -> None:
    info = cc_info(0x25)
    assert info is not None and info.set_value is not None
    with pytest.raises(CCEncodeError):
        info.set_value(prop, value, None, options, 2)


async def test_interview() -> None:
    info = cc_info(0x25)
    assert info is not None and info.interview is not None
    ctx = FakeContext({"2502": "2503ff"}, version=2)
    await info.interview(ctx)
    assert ctx.sent == ["2502"]
    assert ctx.value("current_value") is True
    await info.run_refresh(ctx)
    assert ctx.sent == ["2502", "2502"]


async def test_interview_no_answer() -> None:
    info = cc_info(0x25)
    assert info is not None and info.interview is not None
    with pytest.raises(NodeTimeout):
        await info.interview(FakeContext({}, version=1))
