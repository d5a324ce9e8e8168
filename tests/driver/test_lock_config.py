"""Door Lock configuration (zwave/lock_config.py) and the hub's time duties (zwave/timekeeping.py)
against the demo's virtual locks over the pty."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from custom_components.zwave_serial.zwave import CommandClass as CC
from custom_components.zwave_serial.zwave import Driver
from custom_components.zwave_serial.zwave.errors import NodeNotFound
from custom_components.zwave_serial.zwave.lock_config import (
    InvalidLockSetting,
    LockConfig,
    UnsupportedLockSetting,
)
from custom_components.zwave_serial.zwave.sim.demo import DemoStick

from .conftest import wait_for


async def test_read_capabilities_and_configuration(driver: Driver, demo: DemoStick) -> None:
    config = LockConfig(driver, 7)
    caps = await config.capabilities()
    assert caps.version == 4 and caps.operation_types == ("constant", "timed")
    assert caps.auto_relock and caps.hold_and_release and caps.twist_assist and not caps.block_to_block
    assert caps.as_dict()["outside_handles"] == [1] and caps.as_dict()["inside_handles"] == [1]
    current = await config.read()
    assert current.operation_type == "constant" and current.lock_timeout is None
    assert current.as_dict() == {
        "operation_type": "constant",
        "lock_timeout": None,
        "outside_handles": [1],
        "inside_handles": [1],
        "auto_relock_time": 0,
        "hold_and_release_time": 0,
        "twist_assist": False,
        "block_to_block": False,
    }
    with pytest.raises(NodeNotFound):
        LockConfig(driver, 2)  # a switch


async def test_set_timed_then_constant_with_auto_relock(driver: Driver, demo: DemoStick) -> None:
    lock = demo.stick.node(7)
    config = LockConfig(driver, 7)
    result = await config.set(operation_type="timed", lock_timeout=90, hold_and_release_time=3)
    assert (
        result.operation_type == "timed" and result.lock_timeout == 90 and result.hold_and_release_time == 3
    )
    assert lock.operation_type == 2 and lock.lock_timeout == (1, 30) and lock.hold_and_release == 3
    # the handles were kept as they were (read back before the change)
    assert lock.config_handles == 0x11
    assert driver.nodes[7].get_value(CC.DOOR_LOCK, "lock_timeout_configuration") == 90

    result = await config.set(operation_type="constant", auto_relock_time=30, inside_handles=[])
    assert (
        result.operation_type == "constant" and result.lock_timeout is None and result.auto_relock_time == 30
    )
    assert lock.lock_timeout == (0xFE, 0xFE) and lock.auto_relock == 30 and lock.config_handles == 0x10
    assert config.cached() == result


@pytest.mark.parametrize(
    ("changes", "error", "setting"),
    [
        ({"block_to_block": True}, UnsupportedLockSetting, "block_to_block"),
        ({"outside_handles": [1, 2]}, UnsupportedLockSetting, "outside_handles"),
        ({"operation_type": "timed"}, InvalidLockSetting, None),  # timed needs a timeout
        ({"operation_type": "timed", "lock_timeout": 0xFE * 60}, InvalidLockSetting, None),
        ({"lock_timeout": 30}, InvalidLockSetting, None),  # constant operation has no timeout
        ({"operation_type": "sometimes"}, InvalidLockSetting, None),
        ({"auto_relock_time": 70000}, InvalidLockSetting, None),
        ({"colour": "red"}, InvalidLockSetting, None),
    ],
)
async def test_refused_before_sending(
    driver: Driver, demo: DemoStick, changes: dict, error: type[Exception], setting: str | None
) -> None:
    lock = demo.stick.node(7)
    before = lock.configuration_report()
    with pytest.raises(error) as err:
        await LockConfig(driver, 7).set(**changes)
    if setting is not None:
        assert err.value.setting == setting  # type: ignore[attr-defined]
    assert lock.configuration_report() == before


async def test_time_parameters_sent_at_end_of_interview(driver: Driver, demo: DemoStick) -> None:
    """The S2 lock supports Time Parameters (UTC), the old S0 lock only Clock (local)."""
    lock, old = demo.stick.node(7), demo.stick.node(9)
    await wait_for(lambda: lock.time_parameters_received and old.clock_received)
    got = lock.time_parameters_received[-1]
    assert abs(datetime.now(UTC) - got) < timedelta(minutes=5)
    assert old.time_parameters_received == [] and 1 <= old.clock_received[-1][0] <= 7
    assert driver.timekeeper.last_sync[7][0] == ["time_parameters"]
    assert driver.timekeeper.last_sync[9][0] == ["clock"]


async def test_sync_all_after_dst_change(driver: Driver, demo: DemoStick) -> None:
    lock = demo.stick.node(7)
    await wait_for(lambda: lock.time_parameters_received)
    count = len(lock.time_parameters_received)
    results = await driver.timekeeper.sync_all("daylight saving time changed")
    assert results[7] == ["time_parameters"] and results[9] == ["clock"]
    assert len(lock.time_parameters_received) == count + 1


async def test_time_offset_get_answered(driver: Driver, demo: DemoStick) -> None:
    """The lock asks for the hub's zone (Time CC v2 Time Offset GET): Berlin, DST +60 min,
    last Sunday of March 02:00 to last Sunday of October 02:00 (standard time)."""
    driver.options.time_zone = "Europe/Berlin"
    lock = demo.stick.node(7)
    lock.request_time_offset()
    await wait_for(lambda: lock.time_offset is not None)
    tz, dst, start, end = lock.time_offset
    assert tz == 60 and dst == 60
    assert start[0] == 3 and start[1] >= 25 and start[2] == 2
    assert end[0] == 10 and end[1] >= 25 and end[2] == 2
