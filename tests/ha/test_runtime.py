"""Unplug/replug, diagnostics, notification events, domain services, dynamic nodes."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import ATTR_DEVICE_ID, ATTR_ENTITY_ID, STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er

from custom_components.zwave_serial.const import (
    CONF_S0_LEGACY_KEY,
    DOMAIN,
    EVENT_NOTIFICATION,
    NETWORK_KEYS,
)
from custom_components.zwave_serial.diagnostics import (
    async_get_config_entry_diagnostics,
    async_get_device_diagnostics,
)

from .conftest import entity_id_of, node_device, wait_for_state

SWITCH_UID = "c0ffee01.2.0.37.current_value"
LOCK_NODE = 7


async def test_unplug_replug(hass: HomeAssistant, stick_entry: ConfigEntry, demo_stick: Any) -> None:
    """Stick unplugged -> entities unavailable -> replugged -> available again, no reload."""
    entity_id = entity_id_of(hass, "switch", SWITCH_UID)
    assert hass.states.get(entity_id).state != STATE_UNAVAILABLE
    await demo_stick.stick.unplug()
    await wait_for_state(hass, entity_id, lambda s: s.state == STATE_UNAVAILABLE)
    await demo_stick.stick.replug()
    await wait_for_state(hass, entity_id, lambda s: s.state != STATE_UNAVAILABLE)
    # and it still works
    await hass.services.async_call("switch", "turn_on", {ATTR_ENTITY_ID: entity_id}, blocking=True)
    assert demo_stick.stick.node(2).on is True


async def test_entity_id_change(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """A renamed entity keeps controlling and following its node under the new entity_id."""
    old_id = entity_id_of(hass, "switch", SWITCH_UID)
    new_id = "switch.renamed_zwave_switch"
    er.async_get(hass).async_update_entity(old_id, new_entity_id=new_id)
    await hass.async_block_till_done()
    assert hass.states.get(old_id) is None
    assert hass.states.get(new_id) is not None
    device = demo_entry.runtime_data.demo.stick.node(2)
    await hass.services.async_call("switch", "turn_off", {ATTR_ENTITY_ID: new_id}, blocking=True)
    assert device.on is False
    await wait_for_state(hass, new_id, lambda s: s.state == STATE_OFF)
    device.press()  # a report from the device reaches the renamed entity
    await wait_for_state(hass, new_id, lambda s: s.state == STATE_ON)
    assert hass.states.get(old_id) is None


async def test_diagnostics_redact_secrets(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """Entry and device diagnostics contain no network key and no user code."""
    # give the lock a user code so there is one to redact
    lock_id = entity_id_of(hass, "lock", f"c0ffee01.{LOCK_NODE}.0.98.current_mode")
    await hass.services.async_call(
        DOMAIN,
        "set_lock_usercode",
        {ATTR_ENTITY_ID: lock_id, "code_slot": 5, "usercode": "97531"},
        blocking=True,
    )
    diag = await async_get_config_entry_diagnostics(hass, demo_entry)
    text = repr(diag)
    for key in NETWORK_KEYS:
        assert demo_entry.data[key] not in text
        assert diag["entry"]["data"][key] == "**REDACTED**"
    assert "97531" not in text
    assert diag["controller"]["home_id"] == "c0ffee01"
    assert len(diag["nodes"]) == len(demo_entry.runtime_data.coordinator.driver.nodes)

    device = node_device(hass, demo_entry, LOCK_NODE)
    dev_diag = await async_get_device_diagnostics(hass, demo_entry, device)
    assert dev_diag["node"]["node_id"] == LOCK_NODE
    assert any(e["entity_id"] == lock_id for e in dev_diag["entities"])
    assert "97531" not in repr(dev_diag)
    assert demo_entry.data[CONF_S0_LEGACY_KEY] not in repr(dev_diag)


async def test_keypad_unlock_fires_event(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """A keypad unlock is fired as zwave_serial_notification with the user slot."""
    received: asyncio.Future[Any] = hass.loop.create_future()

    @callback
    def _listener(event: Any) -> None:
        if event.data["event"] == 6 and not received.done():
            received.set_result(event)

    unsub = hass.bus.async_listen(EVENT_NOTIFICATION, _listener)
    demo = demo_entry.runtime_data.demo
    demo.stick.node(LOCK_NODE).keypad_unlock(3)
    try:
        async with asyncio.timeout(60):  # safety net only: the event is awaited, not timed
            event = await received
    finally:
        unsub()
    lock_id = entity_id_of(hass, "lock", f"c0ffee01.{LOCK_NODE}.0.98.current_mode")
    await wait_for_state(hass, lock_id, lambda s: s.state == "unlocked")
    data = event.data
    assert data["node_id"] == LOCK_NODE
    assert data["type"] == 6
    assert data["user_id"] == 3
    assert data["parameters"]["user_id"] == 3
    device = node_device(hass, demo_entry, LOCK_NODE)
    assert data["device_id"] == device.id


async def test_refresh_and_ping_services(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """refresh_values and ping act on the targeted nodes."""
    switch_id = entity_id_of(hass, "switch", SWITCH_UID)
    device = node_device(hass, demo_entry, 3)
    await hass.services.async_call(
        DOMAIN, "refresh_values", {ATTR_ENTITY_ID: switch_id, ATTR_DEVICE_ID: device.id}, blocking=True
    )
    response = await hass.services.async_call(
        DOMAIN, "ping", {ATTR_ENTITY_ID: [switch_id]}, blocking=True, return_response=True
    )
    assert response == {"nodes": {"2": True}}
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            DOMAIN, "ping", {ATTR_DEVICE_ID: ["nope"]}, blocking=True, return_response=True
        )


async def test_dead_node_unavailable(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """A node that stops answering is marked dead: its entities are unavailable until it answers."""
    entity_id = entity_id_of(hass, "switch", SWITCH_UID)
    stick = demo_entry.runtime_data.demo.stick
    stick.set_dead(2)
    with pytest.raises(HomeAssistantError):
        await hass.services.async_call("switch", "turn_on", {ATTR_ENTITY_ID: entity_id}, blocking=True)
    await wait_for_state(hass, entity_id, lambda s: s.state == STATE_UNAVAILABLE)
    stick.set_dead(2, False)
    response = await hass.services.async_call(
        DOMAIN, "ping", {ATTR_ENTITY_ID: entity_id}, blocking=True, return_response=True
    )
    assert response == {"nodes": {"2": True}}
    await wait_for_state(hass, entity_id, lambda s: s.state != STATE_UNAVAILABLE)


async def test_node_removed_while_away(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """A node that left the network while unloaded loses its device at the next start."""
    assert node_device(hass, demo_entry, 6) is not None
    demo = demo_entry.runtime_data.demo
    demo.stick.remove_node(6)
    # the demo stick restarts with a full network on reload, so use a raw restart of the driver
    coordinator = demo_entry.runtime_data.coordinator
    await coordinator.driver.stop()
    await coordinator.driver.start()
    coordinator.async_platforms_ready()
    await hass.async_block_till_done()
    assert 6 not in coordinator.driver.nodes
    assert node_device(hass, demo_entry, 6) is None
    assert node_device(hass, demo_entry, 2) is not None
