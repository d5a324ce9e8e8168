"""Lock configuration services (services_lock_config.py) and the hub's time duties through the
config flow on the demo network."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError

from custom_components.zwave_serial.const import DOMAIN

from .conftest import entity_id_of

LOCK_NODE, OLD_LOCK_NODE = 7, 9
LOCK_UID = f"c0ffee01.{LOCK_NODE}.0.98.current_mode"


def _lock(entry: ConfigEntry, node: int = LOCK_NODE) -> Any:
    return entry.runtime_data.demo.stick.node(node)


async def _call(hass: HomeAssistant, service: str, entity_id: str, **data: Any) -> Any:
    return await hass.services.async_call(
        DOMAIN, service, {ATTR_ENTITY_ID: entity_id, **data}, blocking=True, return_response=True
    )


async def test_set_and_read_back(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    lock = _lock(demo_entry)
    entity_id = entity_id_of(hass, "lock", LOCK_UID)
    answer = (await _call(hass, "get_lock_configuration", entity_id))["nodes"][str(LOCK_NODE)]
    assert answer["configuration"]["operation_type"] == "constant"
    assert answer["capabilities"]["operation_types"] == ["constant", "timed"]
    assert answer["capabilities"]["auto_relock"] and not answer["capabilities"]["block_to_block"]

    answer = await _call(
        hass,
        "set_lock_configuration",
        entity_id,
        operation_type="timed",
        lock_timeout=45,
        outside_handles=["1"],
        hold_and_release_time=2,
    )
    config = answer["nodes"][str(LOCK_NODE)]["configuration"]
    assert config == {
        "operation_type": "timed",
        "lock_timeout": 45,
        "outside_handles": [1],
        "inside_handles": [1],
        "auto_relock_time": 0,
        "hold_and_release_time": 2,
        "twist_assist": False,
        "block_to_block": False,
    }
    assert lock.operation_type == 2 and lock.lock_timeout == (0, 45) and lock.hold_and_release == 2

    answer = await _call(
        hass, "set_lock_configuration", entity_id, operation_type="constant", auto_relock_time=20
    )
    config = answer["nodes"][str(LOCK_NODE)]["configuration"]
    assert (
        config["operation_type"] == "constant"
        and config["lock_timeout"] is None
        and config["auto_relock_time"] == 20
    )
    assert lock.auto_relock == 20
    cached = (await _call(hass, "get_lock_configuration", entity_id, refresh=False))["nodes"][str(LOCK_NODE)]
    assert cached["configuration"] == config


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"block_to_block": True}, "unsupported_lock_setting"),
        ({"outside_handles": [2]}, "unsupported_lock_setting"),
        ({"operation_type": "timed"}, "invalid_lock_setting"),  # no timeout
    ],
)
async def test_refused(hass: HomeAssistant, demo_entry: ConfigEntry, data: dict[str, Any], key: str) -> None:
    before = _lock(demo_entry).configuration_report()
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "set_lock_configuration", entity_id_of(hass, "lock", LOCK_UID), **data)
    assert err.value.translation_key == key
    assert _lock(demo_entry).configuration_report() == before


async def test_not_a_lock(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    switch = entity_id_of(hass, "switch", "c0ffee01.2.0.37.current_value")
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "get_lock_configuration", switch)
    assert err.value.translation_key == "no_door_lock"


async def test_time_duties(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """Interview end: the S2 lock got the UTC time (Time Parameters), the old lock its local
    weekday and time (Clock).  A Time Offset GET is answered in Home Assistant's time zone."""
    driver = demo_entry.runtime_data.coordinator.driver
    assert driver.options.time_zone == hass.config.time_zone
    lock, old = _lock(demo_entry), _lock(demo_entry, OLD_LOCK_NODE)
    assert lock.time_parameters_received and old.clock_received and not old.time_parameters_received

    sent = len(lock.time_parameters_received)
    await hass.config.async_update(time_zone="Europe/Berlin")
    await hass.async_block_till_done()
    assert driver.options.time_zone == "Europe/Berlin"
    async with asyncio.timeout(30):  # a new zone: the clocks are set again
        while len(lock.time_parameters_received) == sent or len(old.clock_received) < 2:
            await asyncio.sleep(0.05)
    lock.request_time_offset()
    async with asyncio.timeout(30):  # guards against a hang only
        while lock.time_offset is None:
            await asyncio.sleep(0.05)
    tz, dst, start, end = lock.time_offset
    assert (tz, dst, start[0], start[2], end[0], end[2]) == (60, 60, 3, 2, 10, 2)
