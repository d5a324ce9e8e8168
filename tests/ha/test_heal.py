"""Network heal in Home Assistant: the services (heal_network with per-node results, heal_node
on a device target, stop_heal), the heal sensor of the controller device, the bus events, and
the nightly schedule from the options."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_capture_events, async_fire_time_changed

from custom_components.zwave_serial.const import DOMAIN, EVENT_HEAL_DONE, EVENT_HEAL_PROGRESS, OPT_HEAL_HOUR

from .conftest import node_device


def _heal_sensor(hass: HomeAssistant, entry: ConfigEntry) -> str:
    entity_id = er.async_get(hass).async_get_entity_id("sensor", DOMAIN, f"{entry.unique_id}.controller.heal")
    assert entity_id is not None
    return entity_id


async def test_heal_network_service_returns_results(
    hass: HomeAssistant, stick_entry: ConfigEntry, demo_stick: Any
) -> None:
    response = await hass.services.async_call(DOMAIN, "heal_network", {}, blocking=True, return_response=True)
    results = response["networks"]["c0ffee01"]
    assert results["2"] == "done" and results["7"] == "done"
    assert results["5"] == "queued"
    assert 1 in demo_stick.stick.api.return_routes[2]


async def test_heal_sensor_and_events(hass: HomeAssistant, stick_entry: ConfigEntry, demo_stick: Any) -> None:
    sensor = _heal_sensor(hass, stick_entry)
    state = hass.states.get(sensor)
    assert state is not None and state.state == "idle"
    progress = async_capture_events(hass, EVENT_HEAL_PROGRESS)
    done = async_capture_events(hass, EVENT_HEAL_DONE)
    seen: list[str] = []
    hass.bus.async_listen(
        "state_changed", lambda e: e.data["entity_id"] == sensor and seen.append(e.data["new_state"].state)
    )
    await hass.services.async_call(DOMAIN, "heal_network", {}, blocking=True, return_response=True)
    await hass.async_block_till_done()
    assert "running" in seen
    state = hass.states.get(sensor)
    assert state.state == "idle"
    attrs = state.attributes
    assert attrs["nodes"]["2"] == "done" and attrs["nodes"]["5"] == "queued"
    assert attrs["done"] >= 6 and attrs["queued"] == 1 and attrs["pending"] == 0 and attrs["failed"] == 0
    # progress: once at the start (every node pending or queued), then once per healed node
    assert progress[0].data["node_id"] is None and progress[0].data["pending"] >= 6
    healed = [e.data for e in progress if e.data["node_id"] is not None]
    assert {e["node_id"] for e in healed} >= {2, 3, 4, 6, 7, 8}
    assert all(e["home_id"] == "c0ffee01" and e["device_id"] for e in healed)
    device = node_device(hass, stick_entry, 2)
    assert device is not None and next(e for e in healed if e["node_id"] == 2)["device_id"] == device.id
    assert len(done) == 1 and done[0].data["cancelled"] is False and done[0].data["nodes"]["5"] == "queued"
    # the sleeping sensor is healed when it wakes up: the sensor follows
    demo_stick.stick.node(5).wake_up()
    async with asyncio.timeout(30):
        while hass.states.get(sensor).attributes["nodes"]["5"] != "done":
            await asyncio.sleep(0.05)
    assert progress[-1].data["node_id"] == 5 and progress[-1].data["status"] == "done"


async def test_heal_node_service_targets_a_device(
    hass: HomeAssistant, stick_entry: ConfigEntry, demo_stick: Any
) -> None:
    device = node_device(hass, stick_entry, 3)
    assert device is not None
    demo_stick.stick.api.return_routes.pop(3, None)
    response = await hass.services.async_call(
        DOMAIN, "heal_node", {"device_id": [device.id]}, blocking=True, return_response=True
    )
    assert response == {"nodes": {"3": {"status": "done", "reason": None}}}
    assert 1 in demo_stick.stick.api.return_routes[3]
    demo_stick.stick.set_dead(3, True)
    response = await hass.services.async_call(
        DOMAIN, "heal_node", {"device_id": [device.id]}, blocking=True, return_response=True
    )
    assert response["nodes"]["3"]["status"] == "failed" and response["nodes"]["3"]["reason"]
    demo_stick.stick.set_dead(3, False)
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            DOMAIN, "heal_node", {"device_id": ["nope"]}, blocking=True, return_response=True
        )


async def test_stop_heal_service(hass: HomeAssistant, stick_entry: ConfigEntry, demo_stick: Any) -> None:
    response = await hass.services.async_call(DOMAIN, "stop_heal", {}, blocking=True, return_response=True)
    assert response == {"stopped": {"c0ffee01": False}}
    demo_stick.stick.neighbor_update_time = 0.3
    done = async_capture_events(hass, EVENT_HEAL_DONE)
    driver = stick_entry.runtime_data.coordinator.driver
    assert driver.start_heal()
    async with asyncio.timeout(20):
        while not any(s == "done" for s in driver.heal.progress.values()):
            await asyncio.sleep(0.02)
    response = await hass.services.async_call(DOMAIN, "stop_heal", {}, blocking=True, return_response=True)
    assert response == {"stopped": {"c0ffee01": True}}
    async with asyncio.timeout(20):
        while not done:
            await asyncio.sleep(0.02)
    assert done[0].data["cancelled"] is True and done[0].data["skipped"] >= 1
    await hass.async_block_till_done()
    state = hass.states.get(_heal_sensor(hass, stick_entry))
    assert state.state == "idle" and state.attributes["skipped"] >= 1


async def test_heal_services_without_network(hass: HomeAssistant) -> None:
    from custom_components.zwave_serial import services

    services.async_setup_services(hass)
    for service in ("heal_network", "stop_heal"):
        with pytest.raises(HomeAssistantError):
            await hass.services.async_call(DOMAIN, service, {}, blocking=True, return_response=True)


async def test_nightly_heal_runs_at_the_chosen_hour(
    hass: HomeAssistant, stick_entry: ConfigEntry, demo_stick: Any
) -> None:
    hass.config_entries.async_update_entry(stick_entry, options={**stick_entry.options, OPT_HEAL_HOUR: "3"})
    await hass.async_block_till_done()
    entry = hass.config_entries.async_get_entry(stick_entry.entry_id)
    assert entry is not None
    await entry.runtime_data.coordinator.driver.wait_for_nodes_ready(timeout=60)
    demo_stick.stick.api.return_routes.clear()
    done = async_capture_events(hass, EVENT_HEAL_DONE)
    now = dt_util.now()
    next_three = (now + timedelta(days=1)).replace(hour=3, minute=0, second=0, microsecond=0)
    async_fire_time_changed(hass, next_three)
    await hass.async_block_till_done()
    async with asyncio.timeout(60):
        while not done:
            await asyncio.sleep(0.05)
    assert 1 in demo_stick.stick.api.return_routes.get(2, set())
    assert done[0].data["nodes"]["2"] == "done"
