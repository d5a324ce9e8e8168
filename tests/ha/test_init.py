"""Setup, unload, not-ready, devices and cache."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.zwave_serial.cache import storage_key
from custom_components.zwave_serial.const import CONF_PORT, DOMAIN, PLATFORMS

from .conftest import OTHER_HOME_ID, add_manual_entry, node_device, remove_device_message, wait_ready

MISSING_PORT = "/dev/serial/by-id/usb-does-not-exist-if00"


async def test_setup_and_unload(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """The demo entry loads its platforms and unloads cleanly."""
    assert demo_entry.state is ConfigEntryState.LOADED
    coordinator = demo_entry.runtime_data.coordinator
    assert coordinator.connected
    for platform in PLATFORMS:
        assert hass.states.async_entity_ids(platform), platform
    assert await hass.config_entries.async_unload(demo_entry.entry_id)
    await hass.async_block_till_done()
    assert demo_entry.state is ConfigEntryState.NOT_LOADED
    assert not coordinator.driver.connected


async def test_not_ready_when_stick_absent(hass: HomeAssistant) -> None:
    """A missing stick at start-up: ConfigEntryNotReady (retried later)."""
    entry = MockConfigEntry(domain=DOMAIN, unique_id="c0ffee01", data={CONF_PORT: MISSING_PORT})
    entry.add_to_hass(hass)
    assert await async_setup_component(hass, DOMAIN, {})
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_RETRY


async def test_different_network_on_port(hass: HomeAssistant, other_stick: Any) -> None:
    """Another network's stick on the configured port is an error, not a silent takeover."""
    entry = MockConfigEntry(domain=DOMAIN, unique_id="c0ffee01", data={CONF_PORT: other_stick.port})
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert f"{OTHER_HOME_ID:08x}" != entry.unique_id


async def test_devices(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """The controller device plus one device per node, linked via the controller."""
    coordinator = demo_entry.runtime_data.coordinator
    ctrl = coordinator.driver.controller
    controller = node_device(hass, demo_entry, ctrl.own_node_id)
    assert controller is not None
    assert controller.sw_version == ctrl.firmware_version
    for node_id, node in coordinator.driver.nodes.items():
        if node_id == ctrl.own_node_id:
            continue
        device = node_device(hass, demo_entry, node_id)
        assert device is not None, node_id
        assert device.via_device_id == controller.id
        if node.ready:
            assert device.model and device.manufacturer
            if node.firmware_version:
                assert device.sw_version == node.firmware_version


async def test_statistics_sensors_disabled_by_default(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """Link counters exist as diagnostic sensors, disabled by default."""
    ent_reg = er.async_get(hass)
    entity_id = ent_reg.async_get_entity_id("sensor", DOMAIN, "c0ffee01.controller.statistics.frames_sent")
    assert entity_id is not None
    entry = ent_reg.async_get(entity_id)
    assert entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    assert entry.entity_category == "diagnostic"
    # enable it: after the reload its value is the driver's counter
    ent_reg.async_update_entity(entity_id, disabled_by=None)
    await hass.config_entries.async_reload(demo_entry.entry_id)
    await hass.async_block_till_done()
    await wait_ready(hass, demo_entry)
    state = hass.states.get(entity_id)
    assert state is not None
    assert int(state.state) > 0
    demo_entry.runtime_data.coordinator.async_refresh_statistics()
    await hass.async_block_till_done()
    assert int(hass.states.get(entity_id).state) > 0


async def test_remove_entry_deletes_cache(
    hass: HomeAssistant, demo_stick: Any, hass_storage: dict[str, Any]
) -> None:
    """The network cache lives in HA storage and goes with the entry."""
    entry = await add_manual_entry(hass, demo_stick.port)
    await wait_ready(hass, entry)
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert storage_key(entry.entry_id) in hass_storage
    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert storage_key(entry.entry_id) not in hass_storage


async def test_restart_uses_cache(hass: HomeAssistant, stick_entry: ConfigEntry) -> None:
    """After a reload the nodes come back from the cache with their entities."""
    before = {
        e.entity_id for e in er.async_entries_for_config_entry(er.async_get(hass), stick_entry.entry_id)
    }
    assert await hass.config_entries.async_reload(stick_entry.entry_id)
    await hass.async_block_till_done()
    after = {e.entity_id for e in er.async_entries_for_config_entry(er.async_get(hass), stick_entry.entry_id)}
    assert before == after
    for entity_id in before:
        state = hass.states.get(entity_id)
        if state is not None:
            assert state.state != "unavailable" or entity_id.startswith("sensor.")


async def test_remove_config_entry_device(
    hass: HomeAssistant, demo_entry: ConfigEntry, hass_ws_client: Any
) -> None:
    """Devices of nodes still in the network cannot be removed; stale ones can."""
    assert await async_setup_component(hass, "config", {})
    dev_reg = dr.async_get(hass)
    live = node_device(hass, demo_entry, 2)
    stale = dev_reg.async_get_or_create(
        config_entry_id=demo_entry.entry_id, identifiers={(DOMAIN, "c0ffee01-200")}
    )
    client = await hass_ws_client(hass)
    for device, expected in ((live, False), (stale, True)):
        await client.send_json_auto_id(remove_device_message(demo_entry, device.id))
        response = await client.receive_json()
        assert response["success"] is expected
