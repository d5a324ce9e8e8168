"""Adding and removing devices from the options flow, on the demo network's waiting devices.

The demo's waiting devices press their button by themselves when the stick enters add mode
(``auto_join``), in order: an S2 Access Control lock, an S2 Authenticated/Unauthenticated
sensor, a plain switch, and a SmartStart plug (added from its QR code).
"""

from __future__ import annotations

import asyncio
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr

from custom_components.zwave_serial.compat import async_get_entry_device
from custom_components.zwave_serial.devices import device_identifier

from .conftest import entity_id_of, wait_for_state

HOME_ID = 0xC0FFEE01


async def _advance(hass: HomeAssistant, result: dict[str, Any]) -> dict[str, Any]:
    """Follow progress steps until the flow shows a form, a menu or ends."""
    flow_id = result["flow_id"]
    for _ in range(200):
        if result["type"] not in (FlowResultType.SHOW_PROGRESS, FlowResultType.SHOW_PROGRESS_DONE):
            return result
        if result["type"] == FlowResultType.SHOW_PROGRESS:
            await asyncio.sleep(0.05)
            await hass.async_block_till_done()
        result = await hass.config_entries.options.async_configure(flow_id)
    raise AssertionError(f"flow stuck in {result}")


async def _menu(hass: HomeAssistant, entry: ConfigEntry, choice: str) -> dict[str, Any]:
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] == FlowResultType.MENU
    assert set(result["menu_options"]) == {
        "add_device",
        "add_device_qr",
        "remove_device",
        "replace_failed_node",
        "settings",
    }
    return await hass.config_entries.options.async_configure(result["flow_id"], {"next_step_id": choice})


def _waiting(entry: ConfigEntry) -> list[Any]:
    return list(entry.runtime_data.demo.stick.waiting_nodes)


def _events(hass: HomeAssistant, event_type: str) -> list[Event]:
    seen: list[Event] = []

    @callback
    def _listener(event: Event) -> None:
        seen.append(event)

    hass.bus.async_listen(event_type, _listener)
    return seen


async def test_add_s2_lock_with_pin_then_lock_it(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """Add device: progress → grant (Access Control requested) → PIN → added securely; the new
    lock locks and unlocks over S2; ``zwave_serial_node_added`` carries the class."""
    added = _events(hass, "zwave_serial_node_added")
    lock = _waiting(demo_entry)[0]
    pin = lock.pin
    result = await _advance(hass, await _menu(hass, demo_entry, "add_device"))
    assert result["type"] == FlowResultType.FORM and result["step_id"] == "grant"
    requested = result["data_schema"].schema["security_classes"].config["options"]
    assert requested == ["s2_access_control"]
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"security_classes": ["s2_access_control"]}
    )
    result = await _advance(hass, result)
    assert result["type"] == FlowResultType.FORM and result["step_id"] == "pin"
    assert "xxxxx-" in result["description_placeholders"]["dsk"]
    assert pin in result["description_placeholders"]["demo_hint"]  # the demo tells its PIN

    result = await hass.config_entries.options.async_configure(result["flow_id"], {"pin": "12"})
    assert result["type"] == FlowResultType.FORM and result["errors"] == {"pin": "invalid_pin"}

    result = await _advance(hass, await hass.config_entries.options.async_configure(result["flow_id"], {"pin": pin}))
    assert result["type"] == FlowResultType.ABORT, result
    assert result["reason"] == "device_added"
    assert result["description_placeholders"]["security_class"] == "s2_access_control"
    node_id = int(result["description_placeholders"]["node_id"])
    assert lock.node_id == node_id

    driver = demo_entry.runtime_data.coordinator.driver
    await driver.wait_for_nodes_ready(timeout=60)
    await hass.async_block_till_done()
    assert [e.data["security_class"] for e in added if e.data["node_id"] == node_id] == ["S2_AccessControl"]
    security = entity_id_of(hass, "sensor", f"c0ffee01.{node_id}.node.security_class")
    assert hass.states.get(security).state == "s2_access_control"

    entity_id = entity_id_of(hass, "lock", f"c0ffee01.{node_id}.0.98.current_mode")
    await hass.services.async_call("lock", "unlock", {"entity_id": entity_id}, blocking=True)
    await wait_for_state(hass, entity_id, lambda s: s.state == "unlocked")
    await hass.services.async_call("lock", "lock", {"entity_id": entity_id}, blocking=True)
    await wait_for_state(hass, entity_id, lambda s: s.state == "locked")


async def test_wrong_pin_does_not_add_the_device(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """A wrong PIN: the key exchange fails, the device resets and is removed again."""
    lock = _waiting(demo_entry)[0]
    wrong = f"{(int(lock.pin) + 1) % 65536:05d}"
    result = await _advance(hass, await _menu(hass, demo_entry, "add_device"))
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"security_classes": ["s2_access_control"]}
    )
    result = await _advance(hass, result)
    assert result["step_id"] == "pin"
    result = await _advance(hass, await hass.config_entries.options.async_configure(result["flow_id"], {"pin": wrong}))
    assert result["type"] == FlowResultType.ABORT, result
    assert result["reason"] == "bootstrap_wrong_pin"
    assert lock in _waiting(demo_entry)  # reset: waiting to be added again
    driver = demo_entry.runtime_data.coordinator.driver
    assert all(node_id < 11 or node_id >= 20 for node_id in driver.nodes)


async def test_grant_fewer_classes_then_remove(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """The sensor asks for S2 Authenticated and Unauthenticated; granting only Unauthenticated
    needs no PIN. Removing it deletes its device and fires ``zwave_serial_node_removed``."""
    stick = demo_entry.runtime_data.demo.stick
    stick.waiting_nodes.remove(lock := stick.waiting_nodes[0])  # skip the lock: the sensor joins
    try:
        result = await _advance(hass, await _menu(hass, demo_entry, "add_device"))
        assert result["step_id"] == "grant"
        options = result["data_schema"].schema["security_classes"].config["options"]
        assert set(options) == {"s2_authenticated", "s2_unauthenticated"}
        result = await _advance(
            hass,
            await hass.config_entries.options.async_configure(
                result["flow_id"], {"security_classes": ["s2_unauthenticated"]}
            ),
        )
        assert result["type"] == FlowResultType.ABORT and result["reason"] == "device_added", result
        assert result["description_placeholders"]["security_class"] == "s2_unauthenticated"
        node_id = int(result["description_placeholders"]["node_id"])
        await hass.async_block_till_done()
        dev_reg = dr.async_get(hass)
        assert async_get_entry_device(dev_reg, device_identifier(HOME_ID, node_id), demo_entry.entry_id)

        removed = _events(hass, "zwave_serial_node_removed")
        result = await _advance(hass, await _menu(hass, demo_entry, "remove_device"))
        assert result["type"] == FlowResultType.ABORT and result["reason"] == "device_removed", result
        assert result["description_placeholders"]["node_id"] == str(node_id)
        await hass.async_block_till_done()
        assert [e.data["node_id"] for e in removed] == [node_id]
        assert async_get_entry_device(dev_reg, device_identifier(HOME_ID, node_id), demo_entry.entry_id) is None
    finally:
        stick.waiting_nodes.insert(0, lock)


async def test_add_smart_start_device_from_qr(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """A bad QR code is a form error; the SmartStart plug's code adds it with its classes."""
    plug = next(node for node in _waiting(demo_entry) if node.smart_start)
    result = await _menu(hass, demo_entry, "add_device_qr")
    assert result["type"] == FlowResultType.FORM and result["step_id"] == "add_device_qr"
    result = await hass.config_entries.options.async_configure(result["flow_id"], {"qr_code": "9001234"})
    assert result["errors"] == {"qr_code": "invalid_qr_code"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"qr_code": plug.qr_code, "name": "Kitchen plug"}
    )
    result = await _advance(hass, result)
    assert result["type"] == FlowResultType.ABORT and result["reason"] == "device_added", result
    assert result["description_placeholders"]["security_class"] == "s2_authenticated"
    assert plug.node_id == int(result["description_placeholders"]["node_id"])


async def test_closing_the_dialog_stops_inclusion(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """Closing the dialog during the progress step takes the stick out of add mode."""
    stick = demo_entry.runtime_data.demo.stick
    waiting = list(stick.waiting_nodes)
    stick.waiting_nodes.clear()  # nobody presses a button
    try:
        result = await _menu(hass, demo_entry, "add_device")
        assert result["type"] == FlowResultType.SHOW_PROGRESS
        for _ in range(100):
            if stick.in_add_mode:
                break
            await asyncio.sleep(0.02)
        assert stick.in_add_mode
        hass.config_entries.options.async_abort(result["flow_id"])
        for _ in range(250):
            if not stick.in_add_mode:
                break
            await asyncio.sleep(0.02)
        assert not stick.in_add_mode
        await hass.async_block_till_done()
        assert demo_entry.runtime_data.coordinator.driver.inclusion.state == "idle"
    finally:
        stick.waiting_nodes[:] = waiting
