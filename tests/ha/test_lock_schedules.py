"""Lock schedule services (services_lock_schedule.py) through the config flow against the virtual
schedule locks: Generic Schedule in the lock (node 2), Schedule Entry Lock (node 3), hub-managed
(node 4, no schedules and no disabled status), with the locks' own clocks and the hub's clock."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, Callable
from datetime import datetime
from typing import Any
from unittest.mock import patch

import pytest
from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.setup import async_setup_component

from custom_components.zwave_serial.const import DOMAIN
from custom_components.zwave_serial.diagnostics import async_get_config_entry_diagnostics
from custom_components.zwave_serial.zwave import LockSchedules
from custom_components.zwave_serial.zwave.sim.schedule_locks import start_schedule_lock_stick

from .conftest import add_manual_entry, entity_id_of, wait_ready

GENERIC, SEL, PLAIN = 2, 3, 4
MON_0900, MON_1200, MON_1800 = (
    datetime(2026, 3, 2, 9, 0),
    datetime(2026, 3, 2, 12, 0),
    datetime(2026, 3, 2, 18, 0),
)
WORKDAYS = {"days": ["mon", "tue", "wed", "thu", "fri"], "start_time": "08:00", "end_time": "17:00"}


async def _until(predicate: Callable[[], Any], timeout: float = 30) -> None:
    """Event-loop polling; the timeout only guards against hangs."""
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.02)


@pytest.fixture
def hub_clock() -> Any:
    """The hub scheduler's clock (naive local time), for every driver the test starts."""
    clock = [MON_1200]
    with patch.object(LockSchedules, "now", lambda self: clock[0]):
        yield clock


@pytest.fixture
async def schedule_stick() -> AsyncGenerator[Any]:
    """A strict virtual stick with only the three schedule locks (home ID c0ffee05)."""
    demo = await start_schedule_lock_stick(bolt_time=0.05, supervision_timeout=0.5)
    yield demo
    await demo.stop()
    assert demo.stick.overlap_refusals == 0, demo.stick.refused_jobs


@pytest.fixture
async def schedule_entry(
    hass: HomeAssistant, hub_clock: Any, schedule_stick: Any
) -> AsyncGenerator[ConfigEntry]:
    entry = await add_manual_entry(hass, schedule_stick.port)
    await wait_ready(hass, entry)
    yield entry
    if entry.state is ConfigEntryState.LOADED:
        assert await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()


def _entity(hass: HomeAssistant, entry: ConfigEntry, node_id: int) -> str:
    return entity_id_of(hass, "lock", f"{entry.unique_id}.{node_id}.0.98.current_mode")


async def _call(hass: HomeAssistant, service: str, entity_id: str, **data: Any) -> Any:
    return await hass.services.async_call(
        DOMAIN, service, {ATTR_ENTITY_ID: entity_id, **data}, blocking=True, return_response=True
    )


async def _keypad(lock: Any, code: str) -> bool:
    """Type on the lock's keypad; wait until the hub confirmed the lock's supervised reports."""
    result = lock.keypad_enter(code)
    await _until(lambda: lock._session == 0 or lock._session in lock.supervision_results)
    return bool(result)


async def _with_code(hass: HomeAssistant, entity_id: str, slot: int, code: str) -> None:
    await _call(hass, "set_lock_usercode", entity_id, code_slot=slot, usercode=code)


async def test_weekly_schedule_in_the_lock(
    hass: HomeAssistant, schedule_entry: ConfigEntry, schedule_stick: Any
) -> None:
    """Generic Schedule: keypad entry inside the window opens, outside it is refused (the lock's
    clock); get and clear."""
    lock = schedule_stick.stick.node(GENERIC)
    entity_id = _entity(hass, schedule_entry, GENERIC)
    await _with_code(hass, entity_id, 3, "2580")
    answer = await _call(hass, "set_lock_schedule", entity_id, code_slot=3, **WORKDAYS)
    assert answer["method"] == "generic_schedule"
    assert answer["nodes"][str(GENERIC)]["schedule"] == {"kind": "weekly", "windows": [WORKDAYS]}
    lock.clock = MON_0900
    assert await _keypad(lock, "2580")
    lock.clock = MON_1800
    assert not await _keypad(lock, "2580") and lock.keypad_results[-1] == ("schedule", 3)

    got = await _call(hass, "get_lock_schedules", entity_id)
    node = got["nodes"][str(GENERIC)]
    assert node["method"] == "generic_schedule" and node["methods"] == ["generic_schedule", "hub"]
    assert node["slots"]["3"] == {
        "schedule": {"kind": "weekly", "windows": [WORKDAYS]},
        "method": "generic_schedule",
        "active": True,
    }
    assert "2580" not in repr(got)

    cleared = await _call(hass, "clear_lock_schedule", entity_id, code_slot=3)
    assert cleared["nodes"][str(GENERIC)] == {"slot": 3, "cleared": True}
    assert not lock.combinations and await _keypad(lock, "2580")
    assert (await _call(hass, "get_lock_schedules", entity_id))["nodes"][str(GENERIC)]["slots"] == {}


async def test_date_range_and_errors(
    hass: HomeAssistant, schedule_entry: ConfigEntry, schedule_stick: Any
) -> None:
    lock = schedule_stick.stick.node(GENERIC)
    entity_id = _entity(hass, schedule_entry, GENERIC)
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "set_lock_schedule", entity_id, code_slot=4, **WORKDAYS)
    assert err.value.translation_key == "lock_schedule_slot_empty"
    await _with_code(hass, entity_id, 4, "1470")
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "set_lock_schedule", entity_id, code_slot=4, start_time="08:00", end_time="08:00")
    assert err.value.translation_key == "invalid_lock_schedule"
    with pytest.raises(ServiceValidationError) as err:
        await _call(
            hass,
            "set_lock_schedule",
            entity_id,
            code_slot=4,
            start="2026-03-02 10:00:00",
            start_time="08:00",
            end_time="09:00",
        )
    assert err.value.translation_key == "invalid_lock_schedule"
    lock.gs_ranges_per_schedule = 1
    with pytest.raises(HomeAssistantError) as err:
        await _call(
            hass,
            "set_lock_schedule",
            entity_id,
            code_slot=4,
            windows=[{"days": ["sat"], "start_time": "10:00", "end_time": "12:00"}, WORKDAYS],
        )
    assert err.value.translation_key == "lock_schedule_full"
    assert err.value.translation_placeholders["what"] == "time ranges per schedule"

    answer = await _call(
        hass,
        "set_lock_schedule",
        entity_id,
        code_slot=4,
        start="2026-12-24 15:00:00",
        end="2026-12-27 11:00:00",
    )
    assert answer["nodes"][str(GENERIC)]["schedule"] == {
        "kind": "date_range",
        "start": "2026-12-24T15:00:00",
        "end": "2026-12-27T11:00:00",
    }
    lock.clock = datetime(2026, 12, 24, 14, 59)
    assert not await _keypad(lock, "1470")
    lock.clock = datetime(2026, 12, 26, 23, 0)
    assert await _keypad(lock, "1470")


async def test_schedule_entry_lock(
    hass: HomeAssistant, schedule_entry: ConfigEntry, schedule_stick: Any
) -> None:
    lock = schedule_stick.stick.node(SEL)
    entity_id = _entity(hass, schedule_entry, SEL)
    await _with_code(hass, entity_id, 2, "3690")
    answer = await _call(hass, "set_lock_schedule", entity_id, code_slot=2, **WORKDAYS)
    assert answer["method"] == "schedule_entry_lock" and len(lock.week_day) == 5
    lock.clock = MON_0900
    assert await _keypad(lock, "3690")
    lock.clock = MON_1800
    assert not await _keypad(lock, "3690")
    answer = await _call(
        hass, "set_lock_schedule", entity_id, code_slot=2, start_time="17:30", end_time="18:30"
    )
    assert answer["nodes"][str(SEL)]["schedule"] == {
        "kind": "daily",
        "start_time": "17:30",
        "end_time": "18:30",
    }
    assert list(lock.daily_repeating) == [(2, 1)] and not lock.week_day and await _keypad(lock, "3690")
    await _call(hass, "clear_lock_schedule", entity_id, code_slot=2)
    assert not lock.schedule_enabled[2] and not lock.daily_repeating


async def test_hub_managed_boundary_and_restart(
    hass: HomeAssistant,
    schedule_entry: ConfigEntry,
    schedule_stick: Any,
    hub_clock: list[datetime],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The lock keeps no schedules: Home Assistant clears the code at 17:00 and sets it again at
    08:00; a boundary passed while the entry was unloaded is applied when it loads again."""
    caplog.set_level(logging.DEBUG)
    lock = schedule_stick.stick.node(PLAIN)
    entity_id = _entity(hass, schedule_entry, PLAIN)
    await _with_code(hass, entity_id, 5, "7410")
    answer = await _call(hass, "set_lock_schedule", entity_id, code_slot=5, **WORKDAYS)
    assert answer["method"] == "hub" and answer["nodes"][str(PLAIN)]["active"] is True
    assert await _keypad(lock, "7410")

    hub = schedule_entry.runtime_data.coordinator.driver.lock_schedules.hub
    hub_clock[0] = MON_1800
    await hub.evaluate()
    assert 5 not in lock.user_codes and not await _keypad(lock, "7410")
    hub_clock[0] = datetime(2026, 3, 3, 8, 0)
    await hub.evaluate()
    assert lock.user_codes[5] == "7410" and await _keypad(lock, "7410")

    # unloaded over the 17:00 boundary: applied when the entry is back
    assert await hass.config_entries.async_unload(schedule_entry.entry_id)
    await hass.async_block_till_done()
    hub_clock[0] = datetime(2026, 3, 3, 19, 0)
    assert await hass.config_entries.async_setup(schedule_entry.entry_id)
    await hass.async_block_till_done()
    await _until(lambda: 5 not in lock.user_codes)
    got = await _call(hass, "get_lock_schedules", entity_id)
    assert got["nodes"][str(PLAIN)]["slots"]["5"]["active"] is False
    assert "7410" not in repr(got)
    diagnostics = await async_get_config_entry_diagnostics(hass, schedule_entry)
    # the kept code is secret (the test harness's own storage mock logs what it stores: left out)
    logged = [r.getMessage() for r in caplog.records if not r.name.startswith("pytest_homeassistant")]
    assert "7410" not in repr(diagnostics) and not any("7410" in line for line in logged)

    # clearing the schedule gives the code back for good
    await _call(hass, "clear_lock_schedule", entity_id, code_slot=5)
    assert lock.user_codes[5] == "7410" and lock.user_status[5] == 1


async def test_lock_schedule_services_registered(hass: HomeAssistant) -> None:
    assert await async_setup_component(hass, DOMAIN, {})
    for service in ("set_lock_schedule", "clear_lock_schedule", "get_lock_schedules"):
        assert hass.services.has_service(DOMAIN, service), service
