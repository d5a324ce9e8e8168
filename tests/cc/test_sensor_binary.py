"""Binary Sensor CC (0x30): byte vectors, type names, answers() and the interview hook."""

from __future__ import annotations

import pytest

from custom_components.zwave_serial.zwave.cc import CCCommand, cc_info, decode_command
from custom_components.zwave_serial.zwave.cc.sensor_binary import (
    SENSOR_TYPES,
    SensorBinaryGet,
    SensorBinaryReport,
    SensorBinarySupportedGet,
    SensorBinarySupportedReport,
)
from custom_components.zwave_serial.zwave.errors import CCDecodeError, NodeTimeout
from custom_components.zwave_serial.zwave.values import ValueUpdate

from .fakecontext import FakeContext

ROUND_TRIP = [
    ("3001", SensorBinarySupportedGet()),
    ("3002", SensorBinaryGet()),
    ("30020c", SensorBinaryGet(0x0C)),
    ("3002ff", SensorBinaryGet(0xFF)),
    ("3003ff", SensorBinaryReport(True)),
    ("300300", SensorBinaryReport(False)),
    ("3003ff0a", SensorBinaryReport(True, 0x0A)),
    ("3003000c", SensorBinaryReport(False, 0x0C)),
    ("300402", SensorBinarySupportedReport(frozenset({1}))),
    ("30040214", SensorBinarySupportedReport(frozenset({1, 10, 12}))),
    ("30040020", SensorBinarySupportedReport(frozenset({13}))),
]


@pytest.mark.parametrize(("hexbytes", "command"), ROUND_TRIP)
def test_round_trip(hexbytes: str, command: CCCommand) -> None:
    raw = bytes.fromhex(hexbytes)
    assert decode_command(raw) == command
    assert command.to_bytes() == raw


@pytest.mark.parametrize(
    ("hexbytes", "command"),
    [
        ("30040314", SensorBinarySupportedReport(frozenset({1, 10, 12}))),  # bit 0 is reserved
        ("30030108", SensorBinaryReport(True, 0x08)),  # any non-zero state is "detected"
    ],
)
def test_decode_lenient(hexbytes: str, command: CCCommand) -> None:
    assert decode_command(bytes.fromhex(hexbytes)) == command


@pytest.mark.parametrize("hexbytes", ["3003", "3004"])
def test_decode_errors(hexbytes: str) -> None:
    with pytest.raises(CCDecodeError):
        decode_command(bytes.fromhex(hexbytes))


@pytest.mark.parametrize(
    ("hexbytes", "key", "state", "sensor_type"),
    [
        ("3003ff", "any", True, 0xFF),  # v1: no type
        ("3003ff01", "general", True, 1),
        ("3003ff02", "smoke", True, 2),
        ("30030003", "co", False, 3),
        ("3003ff04", "co2", True, 4),
        ("3003ff05", "heat", True, 5),
        ("3003ff06", "water", True, 6),
        ("3003ff07", "freeze", True, 7),
        ("3003ff08", "tamper", True, 8),
        ("3003ff09", "aux", True, 9),
        ("3003ff0a", "door_window", True, 10),
        ("3003000b", "tilt", False, 11),
        ("3003ff0c", "motion", True, 12),
        ("3003ff0d", "glass_break", True, 13),
        ("3003ff20", "type_32", True, 0x20),
    ],
)
def test_value_updates(hexbytes: str, key: str, state: bool, sensor_type: int) -> None:
    assert decode_command(bytes.fromhex(hexbytes)).value_updates() == [
        ValueUpdate("state", state, key, meta={"sensor_type": sensor_type})
    ]


def test_type_names_follow_contract() -> None:
    assert set(SENSOR_TYPES.values()) == {
        "general", "smoke", "co", "co2", "heat", "water", "freeze", "tamper", "aux",
        "door_window", "tilt", "motion", "glass_break", "any",
    }  # fmt: skip


def test_answers() -> None:
    motion = SensorBinaryReport(True, 0x0C)
    assert motion.answers(SensorBinaryGet(0x0C))
    assert motion.answers(SensorBinaryGet(0xFF))
    assert motion.answers(SensorBinaryGet())
    assert not motion.answers(SensorBinaryGet(0x0A))
    assert not motion.answers(SensorBinarySupportedGet())
    assert SensorBinaryReport(True).answers(SensorBinaryGet(0x0A))  # v1 report has no type


async def test_interview_v2() -> None:
    info = cc_info(0x30)
    assert info is not None and info.interview is not None
    answers = {"3001": "30040014", "30020a": "3003ff0a", "30020c": "3003000c"}
    ctx = FakeContext(answers, version=2)
    await info.interview(ctx)
    assert ctx.sent == ["3001", "30020a", "30020c"]
    assert ctx.value("supported_sensor_types") == [10, 12]
    assert ctx.value("state", "door_window") is True
    assert ctx.value("state", "motion") is False
    await info.run_refresh(ctx)
    assert ctx.sent[3:] == ["30020a", "30020c"]


async def test_interview_v2_partial_answers() -> None:
    info = cc_info(0x30)
    assert info is not None and info.interview is not None
    # No SupportedReport: ask for "any"; then one type of two does not answer.
    ctx = FakeContext({"3002ff": "3003ff0c"}, version=2)
    await info.interview(ctx)
    assert ctx.sent == ["3001", "3002ff"]
    assert ctx.value("state", "motion") is True
    ctx = FakeContext({"3001": "30040014", "30020c": "3003ff0c"}, version=2)
    await info.interview(ctx)
    assert ctx.value("state", "motion") is True


async def test_interview_v1() -> None:
    info = cc_info(0x30)
    assert info is not None and info.interview is not None
    ctx = FakeContext({"3002": "3003ff"}, version=1)
    await info.interview(ctx)
    assert ctx.sent == ["3002"]
    assert ctx.value("state", "any") is True
    with pytest.raises(NodeTimeout):
        await info.interview(FakeContext({}, version=1))
