"""Wake Up CC (0x84): interval set/report, capabilities, set_value and the interview hook."""

from __future__ import annotations

import pytest

from custom_components.zwave_serial.zwave.cc import CCCommand, cc_info, decode_command
from custom_components.zwave_serial.zwave.cc.wake_up import (
    WakeUpIntervalCapabilitiesGet,
    WakeUpIntervalCapabilitiesReport,
    WakeUpIntervalGet,
    WakeUpIntervalReport,
    WakeUpIntervalSet,
    WakeUpNoMoreInformation,
    WakeUpNotification,
)
from custom_components.zwave_serial.zwave.errors import CCDecodeError, CCEncodeError, NodeTimeout
from custom_components.zwave_serial.zwave.values import ValueUpdate

from .fakecontext import FakeContext

CAPS = "840a00003c015180000e1000003c01"  # min 60 s, max 86400 s, default 3600 s, step 60 s, on demand

ROUND_TRIP = [
    ("8404000e1001", WakeUpIntervalSet(3600, 1)),
    ("840400000001", WakeUpIntervalSet(0, 1)),  # never wake up
    ("8404ffffff0f", WakeUpIntervalSet(0xFFFFFF, 15)),
    ("8405", WakeUpIntervalGet()),
    ("8406000e1001", WakeUpIntervalReport(3600, 1)),
    ("8407", WakeUpNotification()),
    ("8408", WakeUpNoMoreInformation()),
    ("8409", WakeUpIntervalCapabilitiesGet()),
    (CAPS, WakeUpIntervalCapabilitiesReport(60, 86400, 3600, 60, True)),
    ("840a00003c015180000e1000003c00", WakeUpIntervalCapabilitiesReport(60, 86400, 3600, 60, False)),
    ("840a00003c015180000e1000003c", WakeUpIntervalCapabilitiesReport(60, 86400, 3600, 60)),  # v2
]


@pytest.mark.parametrize(("hexbytes", "command"), ROUND_TRIP)
def test_round_trip(hexbytes: str, command: CCCommand) -> None:
    raw = bytes.fromhex(hexbytes)
    assert decode_command(raw) == command
    assert command.to_bytes() == raw


@pytest.mark.parametrize("hexbytes", ["8404000e10", "8406", "8406000e", "840a00003c015180000e100000"])
def test_decode_errors(hexbytes: str) -> None:
    with pytest.raises(CCDecodeError):
        decode_command(bytes.fromhex(hexbytes))


@pytest.mark.parametrize("command", [WakeUpIntervalSet(1 << 24, 1), WakeUpIntervalSet(60, 256)])
def test_encode_errors(command: CCCommand) -> None:
    with pytest.raises(CCEncodeError):
        command.to_bytes()


def test_value_updates() -> None:
    assert decode_command(bytes.fromhex("8406000e1001")).value_updates() == [
        ValueUpdate("wake_up_interval", 3600, unit="s"),
        ValueUpdate("controller_node_id", 1),
    ]
    assert decode_command(bytes.fromhex(CAPS)).value_updates() == [
        ValueUpdate("wake_up_interval_min", 60, unit="s"),
        ValueUpdate("wake_up_interval_max", 86400, unit="s"),
        ValueUpdate("wake_up_interval_default", 3600, unit="s"),
        ValueUpdate("wake_up_interval_step", 60, unit="s"),
        ValueUpdate("wake_up_on_demand", True),
    ]
    assert WakeUpNotification().value_updates() == []


def test_set_value() -> None:
    info = cc_info(0x84)
    assert info is not None and info.set_value is not None
    command = info.set_value("wake_up_interval", 3600, None, {"controller_node_id": 1}, 2)
    assert command.to_bytes().hex() == "8404000e1001"
    command = info.set_value("wake_up_interval", 0, None, {"controller_node_id": 0xEA}, 1)
    assert command.to_bytes().hex() == "8404000000ea"


@pytest.mark.parametrize(
    ("prop", "value", "options"),
    [
        ("controller_node_id", 1, {"controller_node_id": 1}),
        ("wake_up_interval", 3600, {}),
        ("wake_up_interval", 3600, {"controller_node_id": 0}),
        ("wake_up_interval", -1, {"controller_node_id": 1}),
        ("wake_up_interval", 1 << 24, {"controller_node_id": 1}),
        ("wake_up_interval", 60.5, {"controller_node_id": 1}),
        ("wake_up_interval", True, {"controller_node_id": 1}),
    ],
)
def test_set_value_errors(prop: str, value: object, options: dict) -> None:
    info = cc_info(0x84)
    assert info is not None and info.set_value is not None
    with pytest.raises(CCEncodeError):
        info.set_value(prop, value, None, options, 2)


async def test_interview_sets_destination() -> None:
    info = cc_info(0x84)
    assert info is not None and info.interview is not None
    ctx = FakeContext({"8409": CAPS, "8405": "8406000e1000"}, version=3, controller_node_id=1)
    await info.interview(ctx)
    assert ctx.sent == ["8409", "8405", "8404000e1001"]
    assert ctx.value("wake_up_interval") == 3600
    assert ctx.value("controller_node_id") == 1
    assert ctx.value("wake_up_interval_max") == 86400
    assert ctx.value("wake_up_on_demand") is True


@pytest.mark.parametrize(
    ("report", "expected_set"),
    [
        ("840600001e00", "840400003c01"),  # 30 s is below the minimum: clamped to 60 s
        ("8406ffffff00", "840401518001"),  # above the maximum: clamped to 86400 s
        ("840600000000", "840400000001"),  # 0 (never) is kept
    ],
)
async def test_interview_clamps_interval(report: str, expected_set: str) -> None:
    info = cc_info(0x84)
    assert info is not None and info.interview is not None
    ctx = FakeContext({"8409": CAPS, "8405": report}, version=2, controller_node_id=1)
    await info.interview(ctx)
    assert ctx.sent[-1] == expected_set


async def test_interview_destination_already_set() -> None:
    info = cc_info(0x84)
    assert info is not None and info.interview is not None
    ctx = FakeContext({"8405": "8406000e1001"}, version=1, controller_node_id=1)
    await info.interview(ctx)
    assert ctx.sent == ["8405"]  # v1: no capabilities; destination is ours: no IntervalSet
    await info.run_refresh(ctx)
    assert ctx.sent == ["8405", "8405"]


async def test_interview_without_controller_id_or_capabilities() -> None:
    info = cc_info(0x84)
    assert info is not None and info.interview is not None
    ctx = FakeContext({"8405": "8406000e1000"}, version=2)  # caps unanswered, no controller id known
    await info.interview(ctx)
    assert ctx.sent == ["8409", "8405"]
    assert ctx.value("wake_up_interval") == 3600
    with pytest.raises(NodeTimeout):
        await info.interview(FakeContext({}, version=1))
