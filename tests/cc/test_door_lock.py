"""Door Lock CC (0x62), v1-v4."""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.zwave_serial.zwave.cc import decode_command
from custom_components.zwave_serial.zwave.cc.base import CCCommand
from custom_components.zwave_serial.zwave.cc.door_lock import (
    INFO,
    DoorLockCapabilitiesGet,
    DoorLockCapabilitiesReport,
    DoorLockConfigurationGet,
    DoorLockConfigurationReport,
    DoorLockConfigurationSet,
    DoorLockOperationGet,
    DoorLockOperationReport,
    DoorLockOperationSet,
)
from custom_components.zwave_serial.zwave.errors import CCDecodeError, CCEncodeError
from custom_components.zwave_serial.zwave.values import ValueUpdate

from .fakecontext import FakeClassContext

T, F = True, False
NONE4 = (F, F, F, F)


@pytest.mark.parametrize(
    ("hexstr", "expected"),
    [
        ("62 01 FF", DoorLockOperationSet(0xFF)),
        ("62 01 00", DoorLockOperationSet(0x00)),
        ("62 02", DoorLockOperationGet()),
        # seed 002: unlocked by keypad (v4 report), supervised in the seed
        ("62 03 00 00 00 FE FE 00 00", DoorLockOperationReport(0, bolt_locked=T, target_mode=0, duration=0.0)),
        # seed 002: locked after the hub's Set
        ("62 03 FF 00 00 FE FE FF 00", DoorLockOperationReport(0xFF, bolt_locked=T, target_mode=0xFF, duration=0.0)),
        # v1 report: handles 1 outside + 1,2 inside, door closed, bolt unlocked, latch closed, 1 min 30 s
        ("62 03 01 13 07 01 1E", DoorLockOperationReport(1, (T, F, F, F), (T, T, F, F), T, F, T, 90)),
        # v3: moving to secured, 5 s left
        ("62 03 00 00 01 FE FE FF 05", DoorLockOperationReport(0, door_closed=T, bolt_locked=T, target_mode=0xFF,
                                                                duration=5.0)),
        # configuration: constant operation (timeout bytes 0xFE), short v1-v3 form
        ("62 04 01 10 FE FE", DoorLockConfigurationSet(1, (T, F, F, F), NONE4)),
        ("62 06 02 00 01 00", DoorLockConfigurationReport(2, lock_timeout=60)),
        # v4 9-byte form
        ("62 04 02 FF 00 1E 00 3C 00 05 03", DoorLockConfigurationSet(2, (T, T, T, T), (T, T, T, T), 30, 60, 5, T, T)),
        ("62 06 01 00 FE FE 00 00 00 00 01", DoorLockConfigurationReport(1, auto_relock_time=0, hold_and_release_time=0,
                                                                          twist_assist=T, block_to_block=F)),
        ("62 05", DoorLockConfigurationGet()),
        ("62 07", DoorLockCapabilitiesGet()),
        ("62 08 01 06 03 00 01 FF 11 07 0F",
         DoorLockCapabilitiesReport((1, 2), (0, 1, 0xFF), (T, F, F, F), (T, F, F, F), T, T, T, T, T, T, T)),
    ],
)
def test_roundtrip(hexstr: str, expected: CCCommand) -> None:
    data = bytes.fromhex(hexstr)
    assert decode_command(data) == expected
    assert expected.to_bytes() == data


def test_operation_report_values() -> None:
    rep = decode_command(bytes.fromhex("62 03 01 13 07 01 1E FF 05"))
    assert rep.value_updates() == [
        ValueUpdate("current_mode", 1),
        ValueUpdate("outside_handles_enabled", [T, F, F, F]),
        ValueUpdate("inside_handles_enabled", [T, T, F, F]),
        ValueUpdate("door_closed", T),
        ValueUpdate("bolt_locked", F),
        ValueUpdate("latch_closed", T),
        ValueUpdate("lock_timeout", 90, unit="s"),
        ValueUpdate("target_mode", 0xFF),
        ValueUpdate("duration", 5.0, unit="s"),
    ]
    v1 = decode_command(bytes.fromhex("62 03 FF 00 00 FE FE"))
    assert {u.property for u in v1.value_updates()} >= {"current_mode", "lock_timeout"}
    assert "target_mode" not in {u.property for u in v1.value_updates()}


def test_configuration_report_values() -> None:
    assert decode_command(bytes.fromhex("62 06 02 00 01 00")).value_updates() == [
        ValueUpdate("operation_type", 2), ValueUpdate("lock_timeout_configuration", 60, unit="s"),
        ValueUpdate("configured_outside_handles", [F, F, F, F]), ValueUpdate("configured_inside_handles", [F, F, F, F])]
    v4 = decode_command(bytes.fromhex("62 06 01 00 FE FE 00 0A 00 02 02"))
    assert v4.value_updates() == [
        ValueUpdate("operation_type", 1), ValueUpdate("lock_timeout_configuration", None, unit="s"),
        ValueUpdate("configured_outside_handles", [F, F, F, F]), ValueUpdate("configured_inside_handles", [F, F, F, F]),
        ValueUpdate("auto_relock_time", 10, unit="s"), ValueUpdate("hold_and_release_time", 2, unit="s"),
        ValueUpdate("twist_assist", F), ValueUpdate("block_to_block", T)]


@pytest.mark.parametrize("hexstr", ["62 01", "62 03 00 00 00 FE", "62 06 01 00 FE", "62 08 01 06 03 00 01", "62 08 05"])
def test_malformed(hexstr: str) -> None:
    with pytest.raises(CCDecodeError):
        decode_command(bytes.fromhex(hexstr))


@pytest.mark.parametrize(("value", "expected"), [(0xFF, 0xFF), (0, 0), (0x21, 0x21), (True, 0xFF), (False, 0)])
def test_set_value(value: Any, expected: int) -> None:
    assert INFO.set_value("target_mode", value, None, {}, 4) == DoorLockOperationSet(expected)


@pytest.mark.parametrize(("prop", "value"), [("target_mode", 0xFE), ("target_mode", 5), ("target_mode", "x"),
                                            ("current_mode", 0xFF)])
def test_set_value_rejects(prop: str, value: Any) -> None:
    with pytest.raises(CCEncodeError):
        INFO.set_value(prop, value, None, {}, 4)


async def test_interview_v4() -> None:
    ctx = FakeClassContext(4, {
        DoorLockCapabilitiesGet: DoorLockCapabilitiesReport((1, 2), (0, 0xFF), door_supported=T, bolt_supported=T),
        DoorLockOperationGet: DoorLockOperationReport(0xFF, target_mode=0xFF, duration=0.0),
        DoorLockConfigurationGet: DoorLockConfigurationReport(1),
    })
    await INFO.interview(ctx)
    assert ctx.sent == [DoorLockCapabilitiesGet(), DoorLockOperationGet(), DoorLockConfigurationGet()]
    assert ctx.value("supported_modes") == [0, 0xFF]
    assert ctx.value("door_supported") is True and ctx.value("latch_supported") is False
    assert ctx.value("current_mode") == 0xFF and ctx.value("operation_type") == 1


async def test_interview_v2_skips_capabilities_and_tolerates_no_configuration() -> None:
    ctx = FakeClassContext(2, {DoorLockOperationGet: DoorLockOperationReport(0)})
    await INFO.interview(ctx)
    assert ctx.sent == [DoorLockOperationGet(), DoorLockConfigurationGet()]
    assert ctx.value("current_mode") == 0
    refresh = FakeClassContext(2, {DoorLockOperationGet: DoorLockOperationReport(0xFF)})
    await INFO.run_refresh(refresh)
    assert refresh.sent == [DoorLockOperationGet()]
