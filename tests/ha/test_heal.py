"""Network heal: the service (with per-node results) and the nightly schedule from the options."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.zwave_serial.const import DOMAIN, OPT_HEAL_HOUR


async def test_heal_network_service_returns_results(hass: HomeAssistant, stick_entry: ConfigEntry, demo_stick: Any) -> None:
    response = await hass.services.async_call(DOMAIN, "heal_network", {}, blocking=True, return_response=True)
    results = response["networks"]["c0ffee01"]
    assert results["2"] == "done" and results["7"] == "done"
    assert results["5"] == "queued"
    assert 1 in demo_stick.stick.api.return_routes[2]


async def test_heal_network_service_without_network(hass: HomeAssistant) -> None:
    from custom_components.zwave_serial import services

    services.async_setup_services(hass)
    with pytest.raises(HomeAssistantError):
        await hass.services.async_call(DOMAIN, "heal_network", {}, blocking=True, return_response=True)


async def test_nightly_heal_runs_at_the_chosen_hour(hass: HomeAssistant, stick_entry: ConfigEntry, demo_stick: Any) -> None:
    hass.config_entries.async_update_entry(stick_entry, options={**stick_entry.options, OPT_HEAL_HOUR: "3"})
    await hass.async_block_till_done()
    entry = hass.config_entries.async_get_entry(stick_entry.entry_id)
    assert entry is not None
    await entry.runtime_data.coordinator.driver.wait_for_nodes_ready(timeout=60)
    demo_stick.stick.api.return_routes.clear()
    now = dt_util.now()
    next_three = (now + timedelta(days=1)).replace(hour=3, minute=0, second=0, microsecond=0)
    async_fire_time_changed(hass, next_three)
    await hass.async_block_till_done()
    driver = entry.runtime_data.coordinator.driver
    if driver._heal_task is not None:
        await driver._heal_task
    assert 1 in demo_stick.stick.api.return_routes.get(2, set())
