"""Battery CC (0x80): level / low warning, v2-v3 status bits, health, and the interview hook."""

from __future__ import annotations

import pytest

from custom_components.zwave_serial.zwave.cc import CCCommand, cc_info, decode_command
from custom_components.zwave_serial.zwave.cc.battery import (
    REPLACE_NOW,
    REPLACE_SOON,
    BatteryGet,
    BatteryHealthGet,
    BatteryHealthReport,
    BatteryReport,
    BatteryStatus,
)
from custom_components.zwave_serial.zwave.errors import CCDecodeError, CCEncodeError, NodeTimeout
from custom_components.zwave_serial.zwave.values import ValueUpdate

from .fakecontext import FakeContext

ROUND_TRIP = [
    ("8002", BatteryGet()),
    ("800364", BatteryReport(100)),
    ("800300", BatteryReport(0)),
    ("8003ff", BatteryReport(0xFF)),  # low battery warning
    ("8003326000", BatteryReport(50, BatteryStatus(charging_status=1, rechargeable=True))),
    ("8003648000", BatteryReport(100, BatteryStatus(charging_status=2))),
    ("80030a0100", BatteryReport(10, BatteryStatus(replace_recharge=REPLACE_SOON))),
    ("8003050200", BatteryReport(5, BatteryStatus(replace_recharge=REPLACE_NOW))),
    (
        "8003001c03",
        BatteryReport(
            0,
            BatteryStatus(
                backup=True, overheating=True, low_fluid=True, low_temperature=True, disconnected=True
            ),
        ),
    ),
    ("8004", BatteryHealthGet()),
    ("80055a2200fa", BatteryHealthReport(90, 25.0, 0, 1, 2)),
    ("8005642a02d0", BatteryHealthReport(100, 72.0, 1, 1, 2)),
    ("8005ff00", BatteryHealthReport(None)),
]


@pytest.mark.parametrize(("hexbytes", "command"), ROUND_TRIP)
def test_round_trip(hexbytes: str, command: CCCommand) -> None:
    raw = bytes.fromhex(hexbytes)
    assert decode_command(raw) == command
    assert command.to_bytes() == raw


def test_seed_low_battery_warning() -> None:
    # Seed 002 ("Lock Sends Low Battery Warning") shows the report inside a Supervision Get as
    # 6C 01 01 03 63 03 FF; the CC byte 0x63 there is a typo (0x63 is User Code): Battery is 0x80.
    report = decode_command(bytes.fromhex("8003ff"))
    assert isinstance(report, BatteryReport) and report.is_low
    assert report.value_updates() == [ValueUpdate("level", 0, unit="%"), ValueUpdate("is_low", True)]


@pytest.mark.parametrize(
    ("hexbytes", "command"),
    [
        ("80035a60", BatteryReport(90, BatteryStatus(charging_status=1, rechargeable=True))),  # no 3rd byte
        ("8003050300", BatteryReport(5, BatteryStatus(replace_recharge=REPLACE_NOW))),  # both bits: now
        ("8005ff20", BatteryHealthReport(None)),  # size 0: no temperature whatever the rest
    ],
)
def test_decode_lenient(hexbytes: str, command: CCCommand) -> None:
    assert decode_command(bytes.fromhex(hexbytes)) == command


@pytest.mark.parametrize("hexbytes", ["8003", "800365", "8003fe", "8005", "80055a", "80055a2200"])
def test_decode_errors(hexbytes: str) -> None:
    with pytest.raises(CCDecodeError):
        decode_command(bytes.fromhex(hexbytes))


@pytest.mark.parametrize(
    "command",
    [BatteryReport(101), BatteryReport(50, BatteryStatus(charging_status=4)), BatteryHealthReport(300)],
)
def test_encode_errors(command: CCCommand) -> None:
    with pytest.raises(CCEncodeError):
        command.to_bytes()


def test_value_updates() -> None:
    assert BatteryReport(87).value_updates() == [
        ValueUpdate("level", 87, unit="%"),
        ValueUpdate("is_low", False),
    ]
    assert decode_command(bytes.fromhex("80030a4102")).value_updates() == [
        ValueUpdate("level", 10, unit="%"),
        ValueUpdate("is_low", False),
        ValueUpdate("charging_status", 1),
        ValueUpdate("rechargeable", False),
        ValueUpdate("backup", False),
        ValueUpdate("overheating", False),
        ValueUpdate("low_fluid", False),
        ValueUpdate("replace_recharge", REPLACE_SOON),
        ValueUpdate("low_temperature", True),
        ValueUpdate("disconnected", False),
    ]
    assert decode_command(bytes.fromhex("8005642a02d0")).value_updates() == [
        ValueUpdate("max_capacity", 100, unit="%"),
        ValueUpdate("temperature", 72.0, unit="°F", meta={"scale": 1}),
    ]
    assert BatteryHealthReport(None).value_updates() == [ValueUpdate("max_capacity", None, unit="%")]


async def test_interview_v1() -> None:
    info = cc_info(0x80)
    assert info is not None and info.interview is not None
    ctx = FakeContext({"8002": "800350"}, version=1)
    await info.interview(ctx)
    assert ctx.sent == ["8002"]
    assert ctx.value("level") == 0x50
    assert ctx.value("is_low") is False


async def test_interview_v3() -> None:
    info = cc_info(0x80)
    assert info is not None and info.interview is not None
    ctx = FakeContext({"8002": "8003ff0000", "8004": "80055a2200fa"}, version=3)
    await info.interview(ctx)
    assert ctx.sent == ["8002", "8004"]
    assert ctx.value("level") == 0
    assert ctx.value("is_low") is True
    assert ctx.value("disconnected") is False
    assert ctx.value("max_capacity") == 90
    assert ctx.value("temperature") == 25.0


async def test_interview_health_unanswered() -> None:
    info = cc_info(0x80)
    assert info is not None and info.interview is not None
    ctx = FakeContext({"8002": "800364"}, version=2)
    await info.interview(ctx)  # HealthGet times out: not an error
    assert ctx.sent == ["8002", "8004"]
    assert ctx.value("level") == 100
    with pytest.raises(NodeTimeout):
        await info.interview(FakeContext({}, version=2))
